package io.phoenixchannels;

import static io.phoenixchannels.testing.ServerFrames.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Joins, pushes and leaves as {@link CompletableFuture}s, typed with {@link Push#toFuture(Class)}. */
class PushFuturesTest {
  private final ChannelHarness h = new ChannelHarness();

  /** A reply payload, as a record. */
  record Echo(String body, int n) {}

  /** The server answers the last push of an event. */
  private void reply(String event, String status, String responseJson) {
    List<JsonNode> pushes = h.fake.last().sentWithEvent(event);
    String ref = pushes.get(pushes.size() - 1).get(1).asText();
    h.send(h.channel.joinRef(), ref, "phx_reply",
        json("{\"status\":\"" + status + "\",\"response\":" + responseJson + "}"));
  }

  @Nested
  class Typed {
    @Test
    void anOkReplyCompletesWithTheResponseAsTheType() {
      h.connectAndJoin();
      CompletableFuture<Echo> echo = h.channel.push("echo", Map.of("body", "hi")).toFuture(Echo.class);
      assertThat(echo).isNotDone();

      reply("echo", "ok", "{\"body\":\"hi\",\"n\":2}");

      assertThat(echo).isCompletedWithValue(new Echo("hi", 2));
    }

    @Test
    void anErrorReplyCompletesExceptionallyWithTheReplyUnwrapped() {
      h.connectAndJoin();
      CompletableFuture<Echo> echo = h.channel.push("error_reply", Map.of()).toFuture(Echo.class);
      AtomicReference<Throwable> seen = new AtomicReference<>();
      echo.exceptionally(error -> {
        seen.set(error);
        return null;
      });

      reply("error_reply", "error", "{\"reason\":\"bad\"}");

      assertThat(seen.get()).isInstanceOf(ErrorReplyException.class).hasMessageContaining("bad");
      Reply reply = ((ErrorReplyException) seen.get()).reply();
      assertThat(reply.status()).isEqualTo("error");
      assertThat(reply.response().get("reason").asText()).isEqualTo("bad");
      assertThatThrownBy(echo::get).isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(ErrorReplyException.class);
    }

    @Test
    void noReplyInTimeIsAPushTimeoutException() {
      h.connectAndJoin();
      CompletableFuture<Echo> echo = h.channel.push("noreply", Map.of(), Duration.ofSeconds(2)).toFuture(Echo.class);

      h.loop.advance(Duration.ofSeconds(2));

      assertThatThrownBy(echo::join).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(PushTimeoutException.class);
    }

    @Test
    void aPushThisClientCouldNotSendFailsWithWhyNotWithAnErrorReply() {
      h.connectAndJoin();
      h.channel.leave();
      reply("phx_leave", "ok", "{}");

      CompletableFuture<Echo> echo = h.channel.push("echo", Map.of()).toFuture(Echo.class);

      assertThatThrownBy(echo::join).cause().isExactlyInstanceOf(PhoenixException.class)
          .hasMessageContaining("closed");
    }

    @Test
    void aResponseThatDoesNotFitTheTypeIsAProtocolException() {
      h.connectAndJoin();
      CompletableFuture<Echo> echo = h.channel.push("echo", Map.of()).toFuture(Echo.class);

      reply("echo", "ok", "{\"n\":\"not a number\"}");

      assertThatThrownBy(echo::join).cause().isInstanceOf(ProtocolException.class)
          .hasMessageContaining(Echo.class.getName());
    }

    @Test
    void jsonNodeGivesTheResponseUnconverted() {
      h.connectAndJoin();
      CompletableFuture<JsonNode> echo = h.channel.push("echo", Map.of()).toFuture(JsonNode.class);

      reply("echo", "ok", "{\"any\":[1,2]}");

      assertThat(echo.join().get("any").size()).isEqualTo(2);
    }
  }

  @Nested
  class EndToEnd {
    @Test
    void joinPushAndLeaveChainAsFutures() {
      List<String> steps = new ArrayList<>();
      CompletableFuture<Void> session = h.channel.join().toFuture(JsonNode.class)
          .thenCompose(joined -> {
            steps.add("joined " + joined.get("joined").asText());
            return h.channel.push("echo", Map.of("body", "hi")).toFuture(Echo.class);
          })
          .thenCompose(echo -> {
            steps.add("echoed " + echo.body());
            return h.channel.leave().toFuture();
          })
          .thenAccept(left -> steps.add("left " + left.status()));
      h.socket.connect();
      h.fake.last().open();
      h.replyToJoin();
      reply("echo", "ok", "{\"body\":\"hi\",\"n\":1}");
      reply("phx_leave", "ok", "{}");

      assertThat(session).isCompleted();
      assertThat(steps).containsExactly("joined room:lobby", "echoed hi", "left ok");
      assertThat(h.channel.state()).isEqualTo(ChannelState.CLOSED);
    }

    @Test
    void aRefusedJoinFailsTheJoinsTypedFuture() {
      CompletableFuture<JsonNode> joined = h.channel.join().toFuture(JsonNode.class);
      h.socket.connect();
      h.fake.last().open();
      reply("phx_join", "error", "{\"reason\":\"unauthorized\"}");

      assertThatThrownBy(joined::join).cause().isInstanceOf(ErrorReplyException.class)
          .hasMessageContaining("unauthorized");
    }

    @Test
    void dependentStagesRefuseToBlockTheEventLoop() {
      h.connectAndJoin();
      CompletableFuture<Echo> echo = h.channel.push("echo", Map.of()).toFuture(Echo.class);
      CompletableFuture<String> body = echo.thenApply(Echo::body);
      AtomicReference<Throwable> blocked = new AtomicReference<>();
      h.socket.loop().execute(() -> {
        try {
          body.join();
        } catch (IllegalStateException e) {
          blocked.set(e);
        }
      });

      assertThat(blocked.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("deadlock");
    }
  }
}
