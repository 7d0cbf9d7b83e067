package io.phoenixchannels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PoliciesTest {
  private static final CloseEvent ABNORMAL = new CloseEvent(1006, "", false, null);

  @Nested
  class Reconnect {
    @Test
    void defaultsToPhoenixJsStepsForever() {
      ReconnectPolicy policy = ReconnectPolicy.phoenixDefault();
      assertThat(IntStream.rangeClosed(1, 12).mapToObj(attempt -> policy.nextDelay(attempt, ABNORMAL).orElseThrow()
          .toMillis())).containsExactly(10L, 50L, 100L, 150L, 200L, 250L, 500L, 1000L, 2000L, 5000L, 5000L, 5000L);
      assertThat(policy.nextDelay(1_000_000, ABNORMAL)).hasValue(Duration.ofMillis(5000));
    }

    @Test
    void spreadsDelaysWithinTheJitter() {
      ReconnectPolicy policy = ReconnectPolicy.builder().delays(Duration.ofMillis(1000)).jitter(0.2).build();
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < 2_000; i++) {
        long delay = policy.nextDelay(1, ABNORMAL).orElseThrow().toMillis();
        min = Math.min(min, delay);
        max = Math.max(max, delay);
      }
      assertThat(min).isBetween(800L, 850L);
      assertThat(max).isBetween(1150L, 1200L);
    }

    @Test
    void stopsAfterMaxAttempts() {
      ReconnectPolicy policy = ReconnectPolicy.builder().maxAttempts(3).build();
      assertThat(policy.nextDelay(3, ABNORMAL)).isPresent();
      assertThat(policy.nextDelay(4, ABNORMAL)).isEmpty();
    }

    @Test
    void decidesPerClose() {
      ReconnectPolicy policy = ReconnectPolicy.builder().reconnectIf(close -> close.code() != 4000).build();
      assertThat(policy.nextDelay(1, new CloseEvent(4000, "", false, null))).isEmpty();
      assertThat(policy.nextDelay(1, ABNORMAL)).isPresent();
      assertThat(ReconnectPolicy.never().nextDelay(1, ABNORMAL)).isEmpty();
    }

    @Test
    void refusesNonsense() {
      assertThatThrownBy(() -> ReconnectPolicy.builder().delays().build()).hasMessageContaining("at least one delay");
      assertThatThrownBy(() -> ReconnectPolicy.builder().jitter(1.5).build()).hasMessageContaining("jitter");
      assertThatThrownBy(() -> ReconnectPolicy.builder().maxAttempts(-1).build()).hasMessageContaining("maxAttempts");
      assertThatThrownBy(() -> ReconnectPolicy.builder().delays(Duration.ofMillis(-1)).build())
          .hasMessageContaining("negative");
    }
  }

  @Nested
  class Rejoin {
    @Test
    void defaultsToPhoenixJsStepsAndRetriesEveryRefusal() {
      RejoinPolicy policy = RejoinPolicy.phoenixDefault();
      assertThat(IntStream.rangeClosed(1, 5).mapToObj(attempt -> policy.nextDelay(attempt).map(Duration::toMillis)))
          .containsExactly(Optional.of(1000L), Optional.of(2000L), Optional.of(5000L), Optional.of(10000L),
              Optional.of(10000L));
      Reply unauthorized = new Reply("error", JsonNodeFactory.instance.objectNode().put("reason", "unauthorized"),
          null, new ObjectMapper());
      assertThat(policy.retriesJoinError(unauthorized)).isTrue();
    }

    @Test
    void canStopRetryingChosenRefusals() {
      RejoinPolicy policy = RejoinPolicy.builder()
          .retryJoinErrorIf(reply -> !"unauthorized".equals(reply.response().path("reason").asText())).build();
      ObjectMapper mapper = new ObjectMapper();
      assertThat(policy.retriesJoinError(new Reply("error",
          JsonNodeFactory.instance.objectNode().put("reason", "unauthorized"), null, mapper))).isFalse();
      assertThat(policy.retriesJoinError(new Reply("error",
          JsonNodeFactory.instance.objectNode().put("reason", "busy"), null, mapper))).isTrue();
    }
  }
}
