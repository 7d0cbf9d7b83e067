package io.phoenixchannels.consumer;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.SocketState;
import io.phoenixchannels.kotlin.States;
import io.phoenixchannels.netty.NettyEventLoops;
import io.phoenixchannels.okhttp.OkHttpTransport;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.HandleResult;
import io.phoenixchannels.testserver.PhoenixTestServer;
import java.util.concurrent.TimeUnit;
import kotlinx.coroutines.flow.StateFlow;
import okhttp3.OkHttpClient;

/** Uses the library from a named module: the test runs it with {@code java --module-path ... -m ...}. */
public final class ConsumerApp {
  /** What the application prints when everything worked. */
  public static final String OK = "module path consumer ok";

  private ConsumerApp() {}

  /**
   * Runs a join and a typed push over a transport of its own, over a real WebSocket to the test server and over the
   * Netty transport, builds a socket over OkHttp, reads a socket's state through the Kotlin module, and checks that
   * every part came from a named module.
   *
   * @param args unused
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    requireModule(ConsumerApp.class, "io.phoenixchannels.consumer");
    requireModule(PhoenixSocket.class, "io.phoenixchannels");
    requireModule(OkHttpTransport.class, "io.phoenixchannels.okhttp");
    requireModule(OkHttpClient.class, "okhttp3");
    requireModule(PhoenixTestServer.class, "io.phoenixchannels.testserver");

    try (PhoenixSocket socket = PhoenixSocket.builder("ws://loopback.invalid/socket")
        .transport(new LoopbackServer())
        .build()) {
      PhoenixChannel room = socket.channel("room:lobby");
      room.join();
      socket.connect();
      Echo echo = room.push("echo", new Echo("hi")).toFuture(Echo.class).get(10, TimeUnit.SECONDS);
      if (!echo.equals(new Echo("hi"))) {
        throw new AssertionError("unexpected reply " + echo);
      }
      // The Kotlin module, with kotlin.stdlib and kotlinx.coroutines.core, resolved on the module path.
      StateFlow<SocketState> states = States.getStates(socket);
      requireModule(States.class, "io.phoenixchannels.kotlin");
      requireModule(StateFlow.class, "kotlinx.coroutines.core");
      requireModule(kotlin.Unit.class, "kotlin.stdlib");
      if (states.getValue() != SocketState.OPEN) {
        throw new AssertionError("the Kotlin StateFlow says " + states.getValue() + " of an open socket");
      }
    }

    // The test server on the module path: Jetty, the WebSocket upgrade and the protocol, over a real socket.
    try (PhoenixTestServer server = PhoenixTestServer.builder()
            .channel("room:*", () -> ChannelHandler.joinAll(event -> HandleResult.ok(event.payload())))
            .start();
        PhoenixSocket socket = PhoenixSocket.builder(server.url()).build()) {
      PhoenixChannel room = socket.channel("room:lobby");
      room.join();
      socket.connect();
      Echo echo = room.push("echo", new Echo("over a socket")).toFuture(Echo.class).get(10, TimeUnit.SECONDS);
      if (!echo.equals(new Echo("over a socket"))) {
        throw new AssertionError("unexpected reply from the test server " + echo);
      }
    }

    // The Netty transport on the module path, its loops the sockets' own.
    try (PhoenixTestServer server = PhoenixTestServer.builder()
            .channel("room:*", () -> ChannelHandler.joinAll(event -> HandleResult.ok(event.payload())))
            .start();
        NettyEventLoops netty = NettyEventLoops.create(1);
        PhoenixSocket socket = PhoenixSocket.builder(server.url()).eventLoop(netty.next()).transport(netty.transport())
            .build()) {
      requireModule(NettyEventLoops.class, "io.phoenixchannels.netty");
      PhoenixChannel room = socket.channel("room:lobby");
      room.join();
      socket.connect();
      Echo echo = room.push("echo", new Echo("over netty")).toFuture(Echo.class).get(10, TimeUnit.SECONDS);
      if (!echo.equals(new Echo("over netty"))) {
        throw new AssertionError("unexpected reply over the Netty transport " + echo);
      }
    }

    OkHttpClient client = new OkHttpClient();
    try {
      PhoenixSocket.builder("wss://example.invalid/socket").transport(OkHttpTransport.factory(client)).build().close();
    } finally {
      client.dispatcher().executorService().shutdown();
    }
    System.out.println(OK);
  }

  private static void requireModule(Class<?> type, String module) {
    if (!module.equals(type.getModule().getName())) {
      throw new AssertionError(type.getName() + " is in " + type.getModule() + ", not in module " + module);
    }
  }
}
