package io.phoenixchannels;

import static io.phoenixchannels.testing.ServerFrames.broadcast;
import static io.phoenixchannels.testing.ServerFrames.frame;
import static io.phoenixchannels.testing.ServerFrames.json;
import static io.phoenixchannels.testing.ServerFrames.ok;
import static io.phoenixchannels.testing.ServerFrames.push;
import static io.phoenixchannels.testing.ServerFrames.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.phoenixchannels.testing.FakeTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Channel lines of the conformance checklist, on a manual clock and a fake transport. */
class ChannelTest {
  private final ManualEventLoop loop = new ManualEventLoop();
  private final FakeTransport transport = new FakeTransport();
  private final List<PhoenixException> errors = new ArrayList<>();
  private PhoenixSocket socket = newSocket(PhoenixSocket.builder("ws://example.test/socket"));

  /** Builds a socket whose heartbeats stay out of the way: the fake server does not answer them. */
  private PhoenixSocket newSocket(PhoenixSocket.Builder builder) {
    PhoenixSocket built = builder.eventLoop(loop).transport(transport).heartbeatInterval(Duration.ofHours(1)).build();
    built.onError(errors::add);
    return built;
  }

  private FakeTransport.Connection connect() {
    socket.connect();
    return transport.last().open();
  }

  private FakeTransport.Connection server() {
    return transport.last();
  }

  private void advanceMillis(long millis) {
    loop.advance(Duration.ofMillis(millis));
  }

  /** The ref of the last frame with this event the client sent on the current connection. */
  private String lastRef(String event) {
    List<JsonNode> frames = server().sentWithEvent(event);
    assertThat(frames).as("frames with event " + event).isNotEmpty();
    return frames.get(frames.size() - 1).get(1).asText();
  }

  /** Joins the channel on a connected socket and answers ok. */
  private PhoenixChannel joined(String topic) {
    PhoenixChannel channel = socket.channel(topic);
    channel.join();
    String ref = lastRef("phx_join");
    server().receive(ok(ref, ref, topic));
    assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
    return channel;
  }

  private static List<String> outcomes(Push push) {
    List<String> outcomes = new ArrayList<>();
    push.receive("ok", reply -> outcomes.add("ok"))
        .receive("error", reply -> outcomes.add("error"))
        .receive("timeout", () -> outcomes.add("timeout"));
    return outcomes;
  }

  @Nested
  class Defaults {
    @Test
    void startClosedWithTheSocketTimeout() {
      PhoenixSocket quick = newSocket(PhoenixSocket.builder("ws://example.test/socket")
          .timeout(Duration.ofMillis(1234)));
      PhoenixChannel channel = quick.channel("topic", Map.of("one", "two"));
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
      assertThat(channel.topic()).isEqualTo("topic");
      quick.connect();
      transport.last().open();
      List<String> outcomes = outcomes(channel.join());
      advanceMillis(1233);
      assertThat(outcomes).isEmpty();
      advanceMillis(1);
      assertThat(outcomes).containsExactly("timeout");
    }
  }

  @Nested
  class JoinParams {
    @Test
    void sendsLiteralParams() {
      connect();
      socket.channel("topic", Map.of("one", "two")).join();
      assertThat(server().lastSent().get(4)).isEqualTo(json("{\"one\":\"two\"}"));
    }

    @Test
    void rereadsASupplierForEveryJoinAttempt() {
      connect();
      AtomicInteger calls = new AtomicInteger();
      PhoenixChannel channel = socket.channel("topic", () -> Map.of("attempt", calls.incrementAndGet()));
      channel.join(Duration.ofSeconds(1));
      advanceMillis(1_000 + 1_000);
      assertThat(server().sentWithEvent("phx_join")).extracting(frame -> frame.get(4).get("attempt").asInt())
          .containsExactly(1, 2);
    }

    @Test
    void updatedParamsGoOutWithTheNextRejoin() {
      connect();
      PhoenixChannel channel = joined("topic");
      channel.joinParams(Map.of("v", 2));
      String joinRef = lastRef("phx_join");
      server().receive(frame(joinRef, joinRef, "topic", "phx_error", json("{}")));
      advanceMillis(1_000);
      assertThat(server().lastSent().get(3).asText()).isEqualTo("phx_join");
      assertThat(server().lastSent().get(4)).isEqualTo(json("{\"v\":2}"));
    }
  }

  @Nested
  class Join {
    @Test
    void setsStateToJoining() {
      PhoenixChannel channel = socket.channel("topic");
      channel.join();
      assertThat(channel.state()).isEqualTo(ChannelState.JOINING);
    }

    @Test
    void canOnlyBeCalledOnce() {
      PhoenixChannel channel = socket.channel("topic");
      channel.join();
      assertThatThrownBy(channel::join).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("multiple times");
    }

    @Test
    void sendsPhxJoinWithTheJoinRefEqualToItsRef() {
      connect();
      socket.channel("topic", Map.of("one", "two")).join();
      JsonNode join = server().lastSent();
      assertThat(join.get(0)).isEqualTo(join.get(1));
      assertThat(join.get(2).asText()).isEqualTo("topic");
      assertThat(join.get(3).asText()).isEqualTo("phx_join");
    }

    @Test
    void leavesAnotherChannelOfTheSameTopicFirst() {
      connect();
      PhoenixChannel first = joined("room:1");
      String firstJoinRef = lastRef("phx_join");
      PhoenixChannel second = socket.channel("room:1");
      second.join();
      List<JsonNode> sent = server().sentJson();
      JsonNode leave = sent.get(sent.size() - 2);
      assertThat(leave.get(3).asText()).isEqualTo("phx_leave");
      assertThat(leave.get(0).asText()).isEqualTo(firstJoinRef);
      assertThat(sent.get(sent.size() - 1).get(3).asText()).isEqualTo("phx_join");
      assertThat(first.state()).isEqualTo(ChannelState.LEAVING);
      assertThat(second.state()).isEqualTo(ChannelState.JOINING);
    }

    @Test
    void refusesParamsJacksonCannotWrite() {
      PhoenixChannel channel = socket.channel("topic", new Object());
      assertThatThrownBy(channel::join).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("join params of 'topic' cannot be written as JSON");
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
    }
  }

  @Nested
  class JoinTimeout {
    @Test
    void succeedsWhenTheReplyBeatsTheTimeout() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      List<String> outcomes = outcomes(channel.join());
      advanceMillis(5_000);
      String ref = lastRef("phx_join");
      server().receive(ok(ref, ref, "topic"));
      advanceMillis(10_000);
      assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
      assertThat(outcomes).containsExactly("ok");
      assertThat(server().sentWithEvent("phx_join")).hasSize(1);
    }

    @Test
    void sendsALeaveErrorsAndRetriesOnTheRejoinBackoff() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      List<String> outcomes = outcomes(channel.join());
      advanceMillis(10_000);
      assertThat(outcomes).containsExactly("timeout");
      assertThat(channel.state()).isEqualTo(ChannelState.ERRORED);
      assertThat(server().sentWithEvent("phx_leave")).hasSize(1);
      assertThat(server().sentWithEvent("phx_leave").get(0).get(0))
          .isEqualTo(server().sentWithEvent("phx_join").get(0).get(1));
      // Rejoins after 1, 2, 5, 10 s, each attempt timing out after 10 s.
      long[] gaps = {1_000, 2_000, 5_000, 10_000};
      for (int i = 0; i < gaps.length; i++) {
        advanceMillis(gaps[i] - 1);
        assertThat(server().sentWithEvent("phx_join")).hasSize(i + 1);
        advanceMillis(1);
        assertThat(server().sentWithEvent("phx_join")).hasSize(i + 2);
        assertThat(channel.state()).isEqualTo(ChannelState.JOINING);
        if (i < gaps.length - 1) {
          advanceMillis(10_000);
        }
      }
      String ref = lastRef("phx_join");
      server().receive(ok(ref, ref, "topic"));
      assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
      advanceMillis(60_000);
      assertThat(server().sentWithEvent("phx_join")).hasSize(5);
    }

    @Test
    void rejoinsWhenTheSocketConnectsLate() {
      PhoenixChannel channel = socket.channel("topic");
      List<String> outcomes = outcomes(channel.join());
      advanceMillis(10_000);
      assertThat(outcomes).containsExactly("timeout");
      assertThat(channel.state()).isEqualTo(ChannelState.ERRORED);
      socket.connect();
      server().open();
      List<JsonNode> joins = server().sentWithEvent("phx_join");
      assertThat(joins).as("the timed-out join is not sent; the rejoin is").hasSize(1);
      assertThat(server().sentWithEvent("phx_leave")).isEmpty();
      String ref = joins.get(0).get(1).asText();
      server().receive(ok(ref, ref, "topic"));
      assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
    }

    @Test
    void joinsWhenTheSocketConnectsBeforeTheTimeout() {
      PhoenixChannel channel = socket.channel("topic");
      channel.join();
      advanceMillis(6_000);
      socket.connect();
      advanceMillis(3_000);
      server().open();
      String ref = lastRef("phx_join");
      server().receive(ok(ref, ref, "topic"));
      assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
    }

    @Test
    void usesACustomTimeout() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      List<String> outcomes = outcomes(channel.join(Duration.ofSeconds(2)));
      advanceMillis(1_999);
      assertThat(outcomes).isEmpty();
      advanceMillis(1);
      assertThat(outcomes).containsExactly("timeout");
    }
  }

  @Nested
  class JoinOk {
    @Test
    void firesOkReceiversAlsoWhenRegisteredLateAndNothingElse() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      Push join = channel.join();
      List<String> outcomes = outcomes(join);
      String ref = lastRef("phx_join");
      server().receive(reply(ref, ref, "topic", "ok", "{\"chan\":\"reply\"}"));
      List<Reply> late = new ArrayList<>();
      join.receive("ok", late::add);
      advanceMillis(20_000);
      assertThat(outcomes).containsExactly("ok");
      assertThat(late).singleElement().satisfies(reply -> {
        assertThat(reply.status()).isEqualTo("ok");
        assertThat(reply.response()).isEqualTo(json("{\"chan\":\"reply\"}"));
      });
    }

    @Test
    void sendsBufferedPushesInOrderWithTheJoinRef() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      channel.join();
      channel.push("first", Map.of("n", 1));
      channel.push("second", Map.of("n", 2));
      assertThat(server().sentWithEvent("first")).isEmpty();
      String ref = lastRef("phx_join");
      server().receive(ok(ref, ref, "topic"));
      List<JsonNode> sent = server().sentJson();
      assertThat(sent).extracting(frame -> frame.get(3).asText()).containsExactly("phx_join", "first", "second");
      assertThat(sent.get(1).get(0).asText()).isEqualTo(ref);
      assertThat(sent.get(2).get(0).asText()).isEqualTo(ref);
    }

    @Test
    void resetsTheRejoinBackoff() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      channel.join(Duration.ofSeconds(1));
      advanceMillis(1_000 + 1_000 + 1_000 + 2_000);
      assertThat(server().sentWithEvent("phx_join")).hasSize(3);
      String ref = lastRef("phx_join");
      server().receive(ok(ref, ref, "topic"));
      server().receive(frame(ref, ref, "topic", "phx_error", json("{}")));
      advanceMillis(1_000);
      assertThat(server().sentWithEvent("phx_join")).as("back to the first step, 1 s").hasSize(4);
    }
  }

  @Nested
  class JoinError {
    @Test
    void firesErrorReceiversAlsoWhenLateKeepsPushesAndRetries() {
      connect();
      PhoenixChannel channel = socket.channel("room:private");
      Push join = channel.join();
      List<String> outcomes = outcomes(join);
      channel.push("buffered", Map.of());
      String ref = lastRef("phx_join");
      server().receive(reply(ref, ref, "room:private", "error", "{\"reason\":\"unauthorized\"}"));
      List<Reply> late = new ArrayList<>();
      join.receive("error", late::add);
      assertThat(outcomes).containsExactly("error");
      assertThat(late).singleElement().extracting(r -> r.response().get("reason").asText()).isEqualTo("unauthorized");
      assertThat(channel.state()).isEqualTo(ChannelState.ERRORED);
      assertThat(server().sentWithEvent("buffered")).isEmpty();
      advanceMillis(1_000);
      assertThat(server().sentWithEvent("phx_join")).as("phoenix.js retries refused joins").hasSize(2);
    }

    @Test
    void aPolicyCanStopRetryingAndClosesTheChannel() {
      socket = newSocket(PhoenixSocket.builder("ws://example.test/socket").rejoinPolicy(RejoinPolicy.builder()
          .retryJoinErrorIf(reply -> !"unauthorized".equals(reply.response().path("reason").asText())).build()));
      connect();
      PhoenixChannel channel = socket.channel("room:private");
      List<ChannelClose> closes = new ArrayList<>();
      channel.onClose(closes::add);
      channel.join();
      Push buffered = channel.push("buffered", Map.of());
      String ref = lastRef("phx_join");
      server().receive(reply(ref, ref, "room:private", "error", "{\"reason\":\"unauthorized\"}"));
      advanceMillis(60_000);
      assertThat(server().sentWithEvent("phx_join")).hasSize(1);
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
      assertThat(closes).singleElement().satisfies(close -> {
        assertThat(close.requested()).isFalse();
        assertThat(close.reason()).contains("join refused").contains("unauthorized");
      });
      assertThat(socket.channels()).doesNotContain(channel);
      assertThat(buffered.toFuture()).isCompletedWithValueMatching(reply -> reply.failure().isPresent());
    }

    @Test
    void aPolicyWithMaxAttemptsGivesUp() {
      socket = newSocket(PhoenixSocket.builder("ws://example.test/socket")
          .rejoinPolicy(RejoinPolicy.builder().delays(Duration.ofMillis(100)).maxAttempts(2).build()));
      connect();
      PhoenixChannel channel = socket.channel("topic");
      channel.join(Duration.ofSeconds(1));
      advanceMillis(60_000);
      assertThat(server().sentWithEvent("phx_join")).hasSize(3);
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
    }
  }

  @Nested
  class ChannelErrors {
    @Test
    void aServerCrashErrorsTheChannelFiresListenersAndRejoinsWithANewJoinRef() {
      connect();
      PhoenixChannel channel = joined("room:crash");
      List<ChannelError> channelErrors = new ArrayList<>();
      channel.onError(channelErrors::add);
      String oldJoinRef = lastRef("phx_join");
      server().receive(frame(oldJoinRef, oldJoinRef, "room:crash", "phx_error", json("{\"reason\":\"channel_crash\"}")));
      assertThat(channel.state()).isEqualTo(ChannelState.ERRORED);
      assertThat(channelErrors).singleElement().satisfies(error -> {
        assertThat(error.fromServer()).isTrue();
        assertThat(error.reason()).isEqualTo("channel_crash");
      });
      advanceMillis(1_000);
      String newJoinRef = lastRef("phx_join");
      assertThat(newJoinRef).isNotEqualTo(oldJoinRef);
      server().receive(ok(newJoinRef, newJoinRef, "room:crash"));
      assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
    }

    @Test
    void reportsOneErrorPerOutage() {
      connect();
      PhoenixChannel channel = joined("topic");
      List<ChannelError> channelErrors = new ArrayList<>();
      channel.onError(channelErrors::add);
      server().fail(new RuntimeException("down"));
      advanceMillis(10);
      transport.last().fail(new RuntimeException("still down"));
      advanceMillis(50);
      transport.last().fail(new RuntimeException("still down"));
      assertThat(channelErrors).hasSize(1);
    }

    @Test
    void pushesAfterARejoinCarryTheNewJoinRef() {
      connect();
      PhoenixChannel channel = joined("topic");
      String oldJoinRef = lastRef("phx_join");
      server().serverClose(1011, "");
      Push buffered = channel.push("buffered", Map.of());
      advanceMillis(10);
      server().open();
      String newJoinRef = lastRef("phx_join");
      assertThat(newJoinRef).isNotEqualTo(oldJoinRef);
      server().receive(ok(newJoinRef, newJoinRef, "topic"));
      channel.push("fresh", Map.of());
      assertThat(server().sentWithEvent("buffered")).singleElement()
          .satisfies(frame -> assertThat(frame.get(0).asText()).isEqualTo(newJoinRef));
      assertThat(server().sentWithEvent("fresh")).singleElement()
          .satisfies(frame -> assertThat(frame.get(0).asText()).isEqualTo(newJoinRef));
      assertThat(buffered.toFuture()).isNotDone();
    }

    @Test
    void doesNotRejoinWhileLeavingOrAfterClose() {
      connect();
      PhoenixChannel leaving = joined("room:leaving");
      leaving.leave();
      String leavingRef = server().sentWithEvent("phx_join").get(0).get(1).asText();
      server().receive(frame(leavingRef, leavingRef, "room:leaving", "phx_error", json("{}")));
      assertThat(leaving.state()).isEqualTo(ChannelState.LEAVING);
      advanceMillis(5_000);
      assertThat(server().sentWithEvent("phx_join")).hasSize(1);
    }
  }

  @Nested
  class ChannelCloses {
    @Test
    void aServerCloseClosesRemovesAndDoesNotRejoin() {
      connect();
      PhoenixChannel channel = joined("topic");
      List<ChannelClose> closes = new ArrayList<>();
      channel.onClose(closes::add);
      String joinRef = lastRef("phx_join");
      server().receive(frame(joinRef, joinRef, "topic", "phx_close", json("{}")));
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
      assertThat(closes).containsExactly(new ChannelClose(false, "closed by the server"));
      assertThat(socket.channels()).doesNotContain(channel);
      advanceMillis(60_000);
      assertThat(server().sentWithEvent("phx_join")).hasSize(1);
    }

    @Test
    void aPushOnAClosedChannelFailsAtOnce() {
      connect();
      PhoenixChannel channel = joined("topic");
      String joinRef = lastRef("phx_join");
      server().receive(frame(joinRef, joinRef, "topic", "phx_close", json("{}")));
      Push push = channel.push("late", Map.of());
      assertThat(push.toFuture()).isCompletedWithValueMatching(reply ->
          reply.failure().map(Throwable::getMessage).orElse("").contains("closed"));
    }
  }

  @Nested
  class MessageHook {
    @Test
    void passesPayloadsUnchangedByDefaultAndCanRewriteOrDropThem() {
      connect();
      PhoenixChannel channel = joined("topic");
      List<JsonNode> seen = new ArrayList<>();
      channel.on("news", message -> seen.add(message.payload()));
      server().receive(broadcast("topic", "news", "{\"n\":1}"));
      channel.messageHook(message -> message.event().equals("news") && message.payload().has("drop") ? null
          : message.withPayload(TextNode.valueOf("rewritten " + message.payload().get("n"))));
      server().receive(broadcast("topic", "news", "{\"n\":2}"));
      server().receive(broadcast("topic", "news", "{\"drop\":true}"));
      assertThat(seen).containsExactly(json("{\"n\":1}"), TextNode.valueOf("rewritten 2"));
    }
  }

  @Nested
  class CanPush {
    @Test
    void isTrueOnlyWhenConnectedAndJoined() {
      PhoenixChannel channel = socket.channel("topic");
      assertThat(channel.canPush()).isFalse();
      connect();
      channel.join();
      assertThat(channel.canPush()).as("joining").isFalse();
      String ref = lastRef("phx_join");
      server().receive(ok(ref, ref, "topic"));
      assertThat(channel.canPush()).isTrue();
      server().serverClose(1011, "");
      assertThat(channel.canPush()).as("disconnected").isFalse();
    }
  }

  @Nested
  class OnAndOff {
    @Test
    void callbacksGetTheirEventOnly() {
      connect();
      PhoenixChannel channel = joined("topic");
      List<String> got = new ArrayList<>();
      channel.on("event", message -> got.add("event"));
      channel.on("other", message -> got.add("other"));
      server().receive(broadcast("topic", "event", "{}"));
      assertThat(got).containsExactly("event");
    }

    @Test
    void eachRegistrationIsRemovedOnItsOwn() {
      connect();
      PhoenixChannel channel = joined("topic");
      List<String> got = new ArrayList<>();
      Subscription first = channel.on("event", message -> got.add("first"));
      channel.on("event", message -> got.add("second"));
      first.close();
      first.close();
      server().receive(broadcast("topic", "event", "{}"));
      assertThat(got).containsExactly("second");
    }

    @Test
    void offRemovesEveryCallbackOfTheEvent() {
      connect();
      PhoenixChannel channel = joined("topic");
      List<String> got = new ArrayList<>();
      channel.on("event", message -> got.add("one"));
      channel.on("event", message -> got.add("two"));
      channel.on("other", message -> got.add("other"));
      channel.off("event");
      server().receive(broadcast("topic", "event", "{}"));
      server().receive(broadcast("topic", "other", "{}"));
      assertThat(got).containsExactly("other");
    }

    @Test
    void allCallbacksRunEvenIfTheSetChangesDuringDispatch() {
      connect();
      PhoenixChannel channel = joined("topic");
      List<String> got = new ArrayList<>();
      Subscription[] second = new Subscription[1];
      channel.on("event", message -> {
        got.add("first");
        second[0].close();
        channel.on("event", m -> got.add("added"));
      });
      second[0] = channel.on("event", message -> got.add("second"));
      server().receive(broadcast("topic", "event", "{}"));
      assertThat(got).containsExactly("first", "second");
    }

    @Test
    void theCatchAllSeesEveryEventIncludingReplies() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      List<String> events = new ArrayList<>();
      channel.onMessage(message -> events.add(message.event()));
      channel.join();
      String ref = lastRef("phx_join");
      server().receive(ok(ref, ref, "topic"));
      server().receive(push(ref, "topic", "server_push", "{}"));
      server().receive(broadcast("topic", "bcast", "{}"));
      assertThat(events).containsExactly("phx_reply", "server_push", "bcast");
    }

    @Test
    void typedHandlersConvertPayloadsAndReportOnesThatDoNotFit() {
      connect();
      PhoenixChannel channel = joined("topic");
      List<Chat> chats = new ArrayList<>();
      channel.on("new_msg", Chat.class, chats::add);
      server().receive(broadcast("topic", "new_msg", "{\"user\":\"ada\",\"body\":\"hi\"}"));
      server().receive(broadcast("topic", "new_msg", "{\"user\":[1,2]}"));
      assertThat(chats).containsExactly(new Chat("ada", "hi"));
      assertThat(errors).singleElement().isInstanceOf(ProtocolException.class)
          .extracting(Throwable::getMessage).asString().contains("cannot be read as");
    }
  }

  record Chat(String user, String body) {}

  @Nested
  class Pushes {
    @Test
    void areSentWhenJoined() {
      connect();
      PhoenixChannel channel = joined("topic");
      channel.push("event", Map.of("foo", "bar"));
      JsonNode sent = server().lastSent();
      assertThat(sent.get(0).asText()).isEqualTo(lastRef("phx_join"));
      assertThat(sent.get(2).asText()).isEqualTo("topic");
      assertThat(sent.get(3).asText()).isEqualTo("event");
      assertThat(sent.get(4)).isEqualTo(json("{\"foo\":\"bar\"}"));
    }

    @Test
    void areNotSentIfTheJoinTimesOut() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      channel.join();
      List<String> outcomes = outcomes(channel.push("event", Map.of()));
      advanceMillis(10_000);
      assertThat(outcomes).containsExactly("timeout");
      advanceMillis(1_000);
      String ref = lastRef("phx_join");
      server().receive(ok(ref, ref, "topic"));
      assertThat(server().sentWithEvent("event")).isEmpty();
    }

    @Test
    void aBufferedPushTimesOutFromWhenItWasPushedAndLeavesNoReplyBindingBehind() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      channel.join(Duration.ofSeconds(30));
      Push push = channel.push("event", Map.of(), Duration.ofSeconds(5));
      List<String> outcomes = outcomes(push);
      advanceMillis(4_000);
      String joinRef = lastRef("phx_join");
      server().receive(ok(joinRef, joinRef, "topic"));
      String pushRef = lastRef("event");
      advanceMillis(999);
      assertThat(outcomes).isEmpty();
      advanceMillis(1);
      assertThat(outcomes).containsExactly("timeout");
      server().receive(reply(joinRef, pushRef, "topic", "ok", "{}"));
      assertThat(outcomes).as("a reply after the timeout is ignored").containsExactly("timeout");
    }

    @Test
    void useTheJoinTimeoutByDefaultOrTheGivenOne() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      channel.join(Duration.ofSeconds(3));
      String ref = lastRef("phx_join");
      server().receive(ok(ref, ref, "topic"));
      List<String> byDefault = outcomes(channel.push("a", Map.of()));
      List<String> given = outcomes(channel.push("b", Map.of(), Duration.ofSeconds(6)));
      advanceMillis(3_000);
      assertThat(byDefault).containsExactly("timeout");
      assertThat(given).isEmpty();
      advanceMillis(3_000);
      assertThat(given).containsExactly("timeout");
    }

    @Test
    void doNotTimeOutAfterOk() {
      connect();
      PhoenixChannel channel = joined("topic");
      Push push = channel.push("event", Map.of());
      List<String> outcomes = outcomes(push);
      advanceMillis(5_000);
      server().receive(reply(lastRef("phx_join"), lastRef("event"), "topic", "ok", "{\"x\":1}"));
      advanceMillis(20_000);
      assertThat(outcomes).containsExactly("ok");
      assertThat(push.toFuture()).isCompletedWithValueMatching(reply -> reply.response().get("x").asInt() == 1);
    }

    @Test
    void areAnErrorBeforeJoin() {
      PhoenixChannel channel = socket.channel("topic");
      assertThatThrownBy(() -> channel.push("event", Map.of())).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("tried to push 'event' to 'topic' before joining");
    }

    @Test
    void failAtOnceWhenTheChannelBufferIsFull() {
      socket = newSocket(PhoenixSocket.builder("ws://example.test/socket").pushBufferLimit(2));
      PhoenixChannel channel = socket.channel("topic");
      channel.join();
      channel.push("a", Map.of());
      channel.push("b", Map.of());
      Push third = channel.push("c", Map.of());
      assertThat(third.toFuture()).isCompletedWithValueMatching(reply -> reply.status().equals("failed")
          && reply.failure().orElseThrow().getMessage().contains("push buffer of 'topic' is full (2 pushes"));
    }

    @Test
    void refusePayloadsJacksonCannotWriteAndLeaveTheSocketWorking() {
      connect();
      PhoenixChannel channel = joined("topic");
      assertThatThrownBy(() -> channel.push("event", new Object()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("payload of 'event' cannot be written as JSON")
          .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
      channel.push("event", Map.of("fine", true));
      assertThat(server().lastSent().get(4)).isEqualTo(json("{\"fine\":true}"));
    }

    @Test
    void sendBinaryPayloadsAsBinaryFrames() {
      connect();
      PhoenixChannel channel = joined("topic");
      channel.push("bin", new byte[] {1, 2, 3});
      Object last = server().sentFrames().get(server().sentFrames().size() - 1);
      assertThat(last).isInstanceOf(byte[].class);
      assertThat((byte[]) last).endsWith(1, 2, 3);
    }

    @Test
    void refuseABinaryPushWhoseMetaIsOver255BytesNamingTheField() {
      connect();
      PhoenixChannel channel = joined("topic");
      assertThatThrownBy(() -> channel.push("e".repeat(300), new byte[] {1}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("event is 300 UTF-8 bytes");
    }

    @Test
    void refuseBinaryWithTheV1Serializer() {
      socket = newSocket(PhoenixSocket.builder("ws://example.test/socket").vsn("1.0.0"));
      PhoenixChannel channel = socket.channel("topic");
      channel.join();
      assertThatThrownBy(() -> channel.push("bin", new byte[] {1})).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("V2 serializer");
    }

    @Test
    void snapshotThePayloadWhenPushed() {
      connect();
      PhoenixChannel channel = joined("topic");
      Map<String, Object> payload = new HashMap<>(Map.of("n", 1));
      channel.push("event", payload);
      payload.put("n", 2);
      assertThat(server().lastSent().get(4)).isEqualTo(json("{\"n\":1}"));
    }
  }

  @Nested
  class Leave {
    @Test
    void sendsPhxLeaveWithTheJoinRefAndClosesOnOk() {
      connect();
      PhoenixChannel channel = joined("topic");
      String joinRef = lastRef("phx_join");
      List<ChannelClose> closes = new ArrayList<>();
      channel.onClose(closes::add);
      Push leave = channel.leave();
      JsonNode sent = server().lastSent();
      assertThat(sent.get(0).asText()).isEqualTo(joinRef);
      assertThat(sent.get(3).asText()).isEqualTo("phx_leave");
      assertThat(sent.get(4)).isEqualTo(json("{}"));
      assertThat(channel.state()).isEqualTo(ChannelState.LEAVING);
      server().receive(ok(joinRef, sent.get(1).asText(), "topic"));
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
      assertThat(closes).containsExactly(new ChannelClose(true, "left"));
      assertThat(leave.toFuture()).isCompletedWithValueMatching(Reply::isOk);
      server().receive(frame(joinRef, joinRef, "topic", "phx_close", json("{}")));
      assertThat(closes).as("the phx_close after the leave's ok finds no channel").hasSize(1);
    }

    @Test
    void closesOnTimeoutAndAcceptsATimeout() {
      connect();
      PhoenixChannel channel = joined("topic");
      channel.leave(Duration.ofSeconds(20));
      advanceMillis(10_000);
      assertThat(channel.state()).isEqualTo(ChannelState.LEAVING);
      advanceMillis(10_000);
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
    }

    @Test
    void closesAtOnceWhenNotConnected() {
      PhoenixChannel channel = socket.channel("topic");
      channel.join();
      channel.leave();
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
      connect();
      assertThat(server().sentFrames()).as("neither the join nor a leave goes out").isEmpty();
    }

    @Test
    void anErroredChannelSendsPhxLeaveAndClosesOnOk() {
      // phoenix-1.7/v2_join_error and v2_join_crash: after a refused join phoenix.js's leave still sends phx_leave
      // with the refused join's ref, and the server answers ok.
      connect();
      PhoenixChannel channel = socket.channel("room:private");
      channel.join();
      String joinRef = lastRef("phx_join");
      server().receive(reply(joinRef, joinRef, "room:private", "error", "{\"reason\":\"unauthorized\"}"));
      assertThat(channel.state()).isEqualTo(ChannelState.ERRORED);
      Push leave = channel.leave();
      JsonNode sent = server().lastSent();
      assertThat(sent.get(3).asText()).isEqualTo("phx_leave");
      assertThat(sent.get(0).asText()).isEqualTo(joinRef);
      assertThat(channel.state()).isEqualTo(ChannelState.LEAVING);
      server().receive(ok(joinRef, sent.get(1).asText(), "room:private"));
      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
      assertThat(leave.toFuture()).isCompletedWithValueMatching(Reply::isOk);
      advanceMillis(60_000);
      assertThat(server().sentWithEvent("phx_join")).as("no rejoin after the leave").hasSize(1);
    }

    @Test
    void closeLeaves() {
      connect();
      PhoenixChannel channel = joined("topic");
      channel.close();
      assertThat(server().lastSent().get(3).asText()).isEqualTo("phx_leave");
    }
  }

  @Nested
  class StaleJoinRefs {
    @Test
    void messagesOfAnOlderJoinAreDropped() {
      connect();
      PhoenixChannel channel = joined("topic");
      List<String> got = new ArrayList<>();
      channel.on("news", message -> got.add(message.payload().get("n").asText()));
      String current = lastRef("phx_join");
      server().receive(push("old", "topic", "news", "{\"n\":\"stale\"}"));
      server().receive(push(current, "topic", "news", "{\"n\":\"current\"}"));
      server().receive(broadcast("topic", "news", "{\"n\":\"broadcast\"}"));
      assertThat(got).containsExactly("current", "broadcast");
    }

    @Test
    void aDuplicateJoinsCloseWithTheOldJoinRefDoesNotCloseTheNewChannel() {
      connect();
      PhoenixChannel channel = socket.channel("topic");
      channel.join(Duration.ofSeconds(1));
      String firstRef = lastRef("phx_join");
      advanceMillis(1_000 + 1_000);
      String secondRef = lastRef("phx_join");
      server().receive(ok(secondRef, secondRef, "topic"));
      server().receive(frame(firstRef, firstRef, "topic", "phx_close", json("{}")));
      assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
      assertThat(socket.channels()).contains(channel);
    }

    @Test
    void unmatchedTopicRepliesWithANullJoinRefReachThePush() {
      connect();
      PhoenixChannel channel = joined("topic");
      Push push = channel.push("event", Map.of());
      server().receive(reply(null, lastRef("event"), "topic", "error", "{\"reason\":\"unmatched topic\"}"));
      assertThat(push.toFuture()).isCompletedWithValueMatching(reply -> reply.status().equals("error")
          && reply.response().get("reason").asText().equals("unmatched topic") && reply.failure().isEmpty());
    }
  }
}
