package io.phoenixchannels.testserver.internal;

/**
 * The transport under one connection: a WebSocket session or a long-poll session. Calls are made under the
 * connection's send lock, so never concurrently, and in frame order; none may block.
 */
public interface Wire {
  void sendText(String text);

  void sendBinary(byte[] bytes);

  /** Starts a clean close; the transport reports the end to the connection when done. */
  void close(int code, String reason);

  /** Drops the connection without a close handshake. */
  void cut();
}
