package io.phoenixchannels.it;

import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.netty.NettyEventLoops;
import io.phoenixchannels.okhttp.OkHttpTransport;
import io.phoenixchannels.transport.BuiltInTransport;
import okhttp3.OkHttpClient;

/**
 * The transports the client suite runs over, each test once per transport: the JDK WebSocket (the default), the
 * OkHttp WebSocket (Android's), the Netty WebSocket, and long-poll. Where a transport cannot do what a test checks
 * (long-poll has no heartbeats and no binary server frames), the test says so and checks what that transport does
 * instead.
 */
enum ClientTransport {
  /** The built-in {@code java.net.http} WebSocket. */
  JDK_WEBSOCKET,
  /** {@code phoenix-channels-okhttp} over one OkHttp client. */
  OKHTTP_WEBSOCKET,
  /** {@code phoenix-channels-netty}: the socket's loop and its connection on one thread of a shared group. */
  NETTY_WEBSOCKET,
  /** The built-in long-poll transport. */
  LONG_POLL;

  /** One client for every OkHttp socket of the suite, as OkHttp recommends. */
  private static final OkHttpClient OKHTTP = new OkHttpClient();

  /** Puts this transport on a socket builder. */
  PhoenixSocket.Builder applyTo(PhoenixSocket.Builder builder) {
    return switch (this) {
      case JDK_WEBSOCKET -> builder.transport(BuiltInTransport.WEBSOCKET);
      case OKHTTP_WEBSOCKET -> builder.transport(OkHttpTransport.factory(OKHTTP));
      case NETTY_WEBSOCKET -> builder.eventLoop(Netty.GROUP.next()).transport(Netty.GROUP.transport());
      case LONG_POLL -> builder.transport(BuiltInTransport.LONG_POLL);
    };
  }

  boolean isWebSocket() {
    return this != LONG_POLL;
  }

  /** The suite's Netty threads, started on first use; daemon threads, so they end with the test JVM. */
  private static final class Netty {
    static final NettyEventLoops GROUP = NettyEventLoops.create(2);
  }
}
