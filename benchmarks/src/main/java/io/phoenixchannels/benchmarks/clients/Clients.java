package io.phoenixchannels.benchmarks.clients;

import io.phoenixchannels.netty.NettyEventLoops;

/** The JVM clients of the comparison, by the names the runner and the table use. */
public final class Clients {
  private Clients() {}

  /**
   * Creates a client.
   *
   * @param name {@code ours}, {@code ours-netty}, {@code javaphoenixclient} or {@code raw}
   * @return the client
   * @throws IllegalArgumentException for another name
   */
  public static BenchClient create(String name) {
    return switch (name) {
      case "ours" -> new OurClient(null, null, null);
      case "ours-netty" -> oursOnNetty();
      case "javaphoenixclient" -> new JavaPhoenixClientAdapter();
      case "raw" -> new RawWebSocketClient();
      default -> throw new IllegalArgumentException("unknown JVM client '" + name + "'");
    };
  }

  /** Ours on the Netty transport, each socket's loop the thread of its connection, one thread per core. */
  private static BenchClient oursOnNetty() {
    NettyEventLoops netty = NettyEventLoops.create(Runtime.getRuntime().availableProcessors());
    return new OurClient(netty.transport(), netty::next, netty::close);
  }
}
