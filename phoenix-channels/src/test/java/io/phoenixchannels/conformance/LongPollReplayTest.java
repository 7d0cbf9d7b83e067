package io.phoenixchannels.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testing.Traces;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client-side conformance replay of the long-poll traces: longpoll_join_push, longpoll_rejected and
 * longpoll_idle_window of Phoenix 1.7 and 1.8, and longpoll_auth_token of 1.8, played against this client's socket
 * over its real long-poll transport with the server's side scripted from the trace ({@link LongPollTracePlayer}):
 * the client must make the requests phoenix.js made (refs and the deliberate {@link LongPollDifference}s aside)
 * and report what phoenix.js reported, in order.
 */
class LongPollReplayTest {

  static Stream<Arguments> longPollTraces() {
    return Stream.of(
        Arguments.of("phoenix-1.7", "longpoll_join_push"),
        Arguments.of("phoenix-1.8", "longpoll_join_push"),
        Arguments.of("phoenix-1.7", "longpoll_rejected"),
        Arguments.of("phoenix-1.8", "longpoll_rejected"),
        Arguments.of("phoenix-1.7", "longpoll_idle_window"),
        Arguments.of("phoenix-1.8", "longpoll_idle_window"),
        Arguments.of("phoenix-1.8", "longpoll_auth_token"));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("longPollTraces")
  void clientRequestsAndReportsWhatPhoenixJsDid(String version, String trace) throws Exception {
    List<JsonNode> lines = Traces.load(version, trace);
    try (LongPollTracePlayer player = new LongPollTracePlayer(version, trace, lines)) {
      player.play();
      long requests = lines.stream().filter(line -> line.get("dir").asText().equals("http_req")).count();
      assertThat(player.requestsCompared()).isEqualTo(requests);

      if (trace.equals("longpoll_join_push")) {
        assertThat(player.differences()).contains(LongPollDifference.LEAVE_CLOSES_ON_THE_SERVERS_OK);
      }
      if (trace.equals("longpoll_auth_token")) {
        assertThat(player.differences()).contains(LongPollDifference.AUTH_TOKEN_ONLY_ON_THE_OPENING_GET);
      }
      if (!trace.equals("longpoll_rejected")) {
        assertThat(player.differences()).contains(LongPollDifference.SESSION_TOKEN_ALSO_IN_A_HEADER);
      }
      if (version.equals("phoenix-1.7") && trace.equals("longpoll_rejected")) {
        assertThat(player.differences()).contains(LongPollDifference.NO_SECOND_CLOSE_FOR_A_CLOSED_CONNECTION);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void everyLongPollTraceIsReplayed() {
    List<String> replayed = longPollTraces().map(arguments -> arguments.get()[0] + "/" + arguments.get()[1])
        .toList();
    for (String version : List.of("phoenix-1.7", "phoenix-1.8")) {
      for (String name : Traces.names(version, "longpoll_")) {
        assertThat(replayed).contains(version + "/" + name);
      }
    }
  }
}
