package io.phoenixchannels.it;

import io.phoenixchannels.testserver.PhoenixVersion;

/**
 * Where a client scenario runs: our test server in a Phoenix release's mode, or a real Phoenix server of that
 * release ({@link RealPhoenix}). Both serve the reference app of {@code conformance/README.md}.
 *
 * @param version the release
 * @param real a real Phoenix server rather than the test server
 */
record Target(PhoenixVersion version, boolean real) {
  static final Target TEST_SERVER_1_7 = new Target(PhoenixVersion.PHOENIX_1_7, false);
  static final Target TEST_SERVER_1_8 = new Target(PhoenixVersion.PHOENIX_1_8, false);
  static final Target REAL_1_7 = new Target(PhoenixVersion.PHOENIX_1_7, true);
  static final Target REAL_1_8 = new Target(PhoenixVersion.PHOENIX_1_8, true);

  /** Starts the test server, or takes the real server of this release that all scenarios share. */
  ScenarioServer start() {
    return real ? ScenarioServer.real(RealPhoenix.shared(version)) : ScenarioServer.test(ClientKit.server(version));
  }

  boolean is18() {
    return version == PhoenixVersion.PHOENIX_1_8;
  }

  @Override
  public String toString() {
    return (real ? "Phoenix " : "test server ") + (is18() ? "1.8" : "1.7");
  }
}
