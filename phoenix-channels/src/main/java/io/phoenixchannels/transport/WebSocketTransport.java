package io.phoenixchannels.transport;

import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.internal.AndroidExempt;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Objects;

/**
 * The default transport: a WebSocket over the JDK's {@link java.net.http.WebSocket}, with no dependency beyond
 * the JDK. Sockets built without a transport share one {@link HttpClient} with two daemon threads; pass
 * {@link #factory(HttpClient)} to use your own, for example one with a custom {@code SSLContext} or proxy.
 *
 * <p>An auth token travels as the subprotocols {@code phoenix} and {@code base64url.bearer.phx.<token in
 * standard Base64 without padding>}, as phoenix.js sends it. Standard Base64 can contain {@code /}, which the
 * WebSocket subprotocol syntax forbids and the JDK refuses; such a token fails the connection with a
 * {@link ConnectionException} that says so. A server that does not select {@code phoenix} after a token was sent
 * (Phoenix 1.7 ignores tokens) has not authenticated the socket, so the connection fails too.
 *
 * <h2>Flow control</h2>
 * The transport asks the JDK for one message at a time, and for the next only while the socket has not paused
 * reading: a slow application stops the reads and TCP pushes back on the server. It counts the bytes waiting to be
 * sent, for the socket's outbound limit.
 */
@AndroidExempt("the JDK transport: java.net.http, JVM only")
public final class WebSocketTransport {
  /** The prefix of the subprotocol that carries the auth token; see {@link AuthTokenSubprotocols}. */
  public static final String AUTH_TOKEN_PREFIX = AuthTokenSubprotocols.TOKEN_PREFIX;
  /** The subprotocol Phoenix selects when it reads the token; see {@link AuthTokenSubprotocols}. */
  public static final String PHOENIX_SUBPROTOCOL = AuthTokenSubprotocols.PHOENIX;

  private WebSocketTransport() {}

  /**
   * Returns a factory that connects through the given client.
   *
   * @param client the HTTP client; its executor runs the transport's callbacks, which never block
   * @return the factory
   */
  public static Transport.Factory factory(HttpClient client) {
    Objects.requireNonNull(client, "client");
    return (request, listener) -> JdkWebSocketTransport.open(client, request, listener);
  }

  /**
   * Computes the subprotocol that carries an auth token.
   *
   * @param token the token
   * @return {@code base64url.bearer.phx.} followed by the token's UTF-8 bytes in standard Base64 without padding
   */
  public static String authTokenSubprotocol(String token) {
    return AuthTokenSubprotocols.tokenSubprotocol(token);
  }
}
