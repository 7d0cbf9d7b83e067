package io.phoenixchannels.benchmarks.clients;

/** The JVM clients of the comparison, by the names the runner and the table use. */
public final class Clients {
  private Clients() {}

  /**
   * Creates a client.
   *
   * @param name {@code ours}, {@code javaphoenixclient} or {@code raw}
   * @return the client
   * @throws IllegalArgumentException for another name
   */
  public static BenchClient create(String name) {
    return switch (name) {
      case "ours" -> new OurClient(null, null);
      case "javaphoenixclient" -> new JavaPhoenixClientAdapter();
      case "raw" -> new RawWebSocketClient();
      default -> throw new IllegalArgumentException("unknown JVM client '" + name + "'");
    };
  }
}
