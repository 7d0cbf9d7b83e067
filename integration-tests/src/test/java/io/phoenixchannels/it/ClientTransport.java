package io.phoenixchannels.it;

import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.netty.NettyEventLoops;
import io.phoenixchannels.okhttp.OkHttpTransport;
import io.phoenixchannels.transport.BuiltInTransport;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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
      case NETTY_WEBSOCKET -> {
        NettyEventLoops group = netty();
        yield builder.eventLoop(group.next()).transport(group.transport());
      }
      case LONG_POLL -> builder.transport(BuiltInTransport.LONG_POLL);
    };
  }

  boolean isWebSocket() {
    return this != LONG_POLL;
  }

  /** The Netty threads of a test class's sockets, started on first use. */
  private static NettyEventLoops netty;

  private static synchronized NettyEventLoops netty() {
    if (netty == null) {
      netty = NettyEventLoops.create(2);
    }
    return netty;
  }

  /**
   * Ends the Netty threads after a test class whose sockets are all closed, so that no test meets another's
   * threads (LeakTest counts them). Every class that uses {@link #NETTY_WEBSOCKET} registers it.
   */
  static final class NettyThreads implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
      synchronized (ClientTransport.class) {
        if (netty != null) {
          netty.close();
          netty = null;
        }
      }
    }
  }
}
