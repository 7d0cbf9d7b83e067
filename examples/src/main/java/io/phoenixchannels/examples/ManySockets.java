package io.phoenixchannels.examples;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.netty.NettyEventLoops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The README's Netty example: many sockets on two Netty threads, as a load generator or a service with a socket
 * per user runs them. Verbatim between the markers; the build compiles it.
 */
public final class ManySockets {
  private ManySockets() {}

  /**
   * Opens a thousand sockets, each joining a room, counts the broadcasts they get for ten seconds, then closes them.
   *
   * @param args the socket URL, by default {@code ws://localhost:4000/socket}
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    String url = args.length > 0 ? args[0] : "ws://localhost:4000/socket";
    // README:netty:begin
    try (NettyEventLoops netty = NettyEventLoops.create(2)) {
      AtomicInteger received = new AtomicInteger();
      List<PhoenixSocket> sockets = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        PhoenixSocket socket = PhoenixSocket.builder(url)
            .eventLoop(netty.next())      // the socket's state lives on one Netty thread,
            .transport(netty.transport()) // and its connection on the same one: no hand-off
            .build();
        PhoenixChannel room = socket.channel("room:lobby", Map.of("presence", false));
        room.on("new_msg", message -> received.incrementAndGet());
        room.join();
        socket.connect();
        sockets.add(socket);
      }
      Thread.sleep(10_000);
      System.out.println(received.get() + " messages on " + netty.size() + " threads");
      sockets.forEach(PhoenixSocket::close);
    }
    // README:netty:end
  }
}
