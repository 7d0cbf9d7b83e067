package io.phoenixchannels.testserver;

import io.phoenixchannels.testing.Traces;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof that the test server behaves like Phoenix: every conformance trace recorded against real Phoenix 1.7
 * and 1.8, replayed against the reference app in the matching version mode, yields the server frames Phoenix sent.
 */
class TraceReplayTest {

  /**
   * Where a recording client closed before the real server's last frames reached it, those frames may arrive here.
   * Phoenix 1.7's v2_join_crash: the client closed right after the second join's reply, before the presence frames
   * that Phoenix sends after it (the 1.8 recording shows them).
   */
  private static final Map<String, Set<String>> TRUNCATED_RECORDINGS =
      Map.of("phoenix-1.7/v2_join_crash", Set.of("presence_diff", "presence_state"));

  static Stream<Arguments> webSocketTraces() {
    return Stream.of("phoenix-1.7", "phoenix-1.8").flatMap(version -> Stream.concat(
        Traces.names(version, "v1_").stream(), Traces.names(version, "v2_").stream())
        .map(name -> Arguments.of(version, name)));
  }

  @DisplayName("WebSocket trace replays against the reference app")
  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("webSocketTraces")
  void webSocketTrace(String version, String name) throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(versionOf(version))) {
      new WebSocketTraceReplay(Traces.load(version, name), server.port(),
          TRUNCATED_RECORDINGS.getOrDefault(version + "/" + name, Set.of())).run();
    }
  }

  static Stream<Arguments> longPollTraces() {
    return Stream.of("phoenix-1.7", "phoenix-1.8").flatMap(version -> Traces.names(version, "longpoll_").stream()
        .map(name -> Arguments.of(version, name)));
  }

  @DisplayName("long-poll trace replays against the reference app")
  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("longPollTraces")
  void longPollTrace(String version, String name) throws Exception {
    // A short window: the idle poll that real Phoenix held for 10 s is answered 204 here after 300 ms.
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().version(versionOf(version))
        .longPollWindow(Duration.ofMillis(300))).start()) {
      new LongPollTraceReplay(Traces.load(version, name), "http://127.0.0.1:" + server.port(),
          version.equals("phoenix-1.8")).run();
    }
  }

  static PhoenixVersion versionOf(String directory) {
    return directory.equals("phoenix-1.7") ? PhoenixVersion.PHOENIX_1_7 : PhoenixVersion.PHOENIX_1_8;
  }

  static List<String> versions() {
    return List.of("phoenix-1.7", "phoenix-1.8");
  }
}
