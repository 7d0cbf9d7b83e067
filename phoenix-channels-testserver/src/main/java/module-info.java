/**
 * An in-process Phoenix Channels server for testing client code: WebSocket and long-poll, the V1 and V2
 * serializers with binary frames, channels, Presence, fault injection and frame recording, behaving as Phoenix 1.8
 * (or 1.7) does.
 *
 * <p>Start with {@link io.phoenixchannels.testserver.PhoenixTestServer#builder()}.
 */
module io.phoenixchannels.testserver {
  requires transitive io.phoenixchannels;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.http;
  requires org.eclipse.jetty.io;
  requires org.eclipse.jetty.util;
  requires org.eclipse.jetty.websocket.core.common;
  requires org.eclipse.jetty.websocket.core.server;

  exports io.phoenixchannels.testserver;
}
