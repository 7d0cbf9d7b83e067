package io.phoenixchannels.testserver;

/**
 * Decides whether a client may connect: Phoenix's {@code connect/3} and {@code id/1} in one. Called on a server
 * thread for every WebSocket upgrade and every new long-poll session, possibly concurrently for different
 * clients; it must not block for long. A handler that throws answers the client with HTTP 500 and is logged; the
 * server keeps serving.
 */
@FunctionalInterface
public interface ConnectHandler {
  /** Accepts every connection as an anonymous socket. */
  ConnectHandler ACCEPT_ALL = request -> ConnectDecision.accept();

  /**
   * Decides about one connection.
   *
   * @param request the params, headers and auth token the client presented
   * @return accept (with a socket id and assigns) or refuse
   * @throws Exception to fail the connection with HTTP 500
   */
  ConnectDecision connect(ConnectRequest request) throws Exception;
}
