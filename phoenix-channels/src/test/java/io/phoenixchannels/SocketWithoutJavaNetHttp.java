package io.phoenixchannels;

import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.ServerFrames;
import io.phoenixchannels.testing.SilentLogger;
import java.util.Map;

/**
 * What an Android app does, minus Android: a socket with its own transport through connect, join, push and reply.
 * {@link NoJavaNetHttpTest} runs it in a fresh JVM and watches which classes it loads.
 */
public final class SocketWithoutJavaNetHttp {
  static final String DONE = "round trip done";

  private SocketWithoutJavaNetHttp() {}

  /**
   * Runs the round trip; exits non-zero if it fails.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    ManualEventLoop loop = new ManualEventLoop();
    FakeTransport transport = new FakeTransport();
    try (PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket")
        .eventLoop(loop).transport(transport).logger(new SilentLogger()).build()) {
      PhoenixChannel channel = socket.channel("room:1");
      channel.join();
      socket.connect();
      transport.last().open();
      transport.last().receive(ServerFrames.ok("1", "1", "room:1"));
      Push push = channel.push("echo", Map.of("body", "hi"));
      transport.last().receive(ServerFrames.ok("1", "2", "room:1"));
      if (!push.toFuture().isDone() || !push.toFuture().join().isOk()) {
        throw new AssertionError("no ok reply: " + push.toFuture());
      }
    }
    System.out.println(DONE);
  }
}
