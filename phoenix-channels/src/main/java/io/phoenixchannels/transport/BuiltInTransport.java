package io.phoenixchannels.transport;

/**
 * The transports that come with the client, for {@code PhoenixSocket.Builder.transport(BuiltInTransport)}. Both run
 * over one {@code java.net.http.HttpClient} that all sockets choosing them share (two daemon threads), released when
 * the last such socket closes. For your own client, pass {@link WebSocketTransport#factory} or {@link
 * LongPollTransport#factory} instead; on Android, where {@code java.net.http} does not exist, use the OkHttp
 * transport.
 */
public enum BuiltInTransport {
  /** A WebSocket ({@link WebSocketTransport}): the default. */
  WEBSOCKET,
  /** HTTP long-polling ({@link LongPollTransport}), for networks that block WebSocket upgrades. */
  LONG_POLL
}
