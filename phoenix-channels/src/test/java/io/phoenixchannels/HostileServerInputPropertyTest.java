package io.phoenixchannels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.HostileFrames.HostileFrame;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testing.ServerFrames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * A hostile or broken server, frame by frame, against one connected socket with a joined channel that has
 * Presence, a typed binding and a publisher attached (everything that reads payloads), on a manual clock and a
 * fake transport. Whatever arrives:
 * <ul>
 *   <li>no exception escapes to the transport's thread (here: the test thread that delivers the frame);</li>
 *   <li>every frame is either delivered as a message or reported to the error listeners as a
 *       {@link ProtocolException}, never both missing; an undecodable frame is reported exactly once;</li>
 *   <li>the connection stays up (no reconnect), the channel stays joined unless the server legitimately closed or
 *       crashed its current join;</li>
 *   <li>a normal push and its reply work afterwards on the same socket.</li>
 * </ul>
 * The counts go to {@code target/reliability/4a-hostile-input-unit.json}.
 */
class HostileServerInputPropertyTest {
  private static final ScenarioFigures FIGURES = new ScenarioFigures("4a-hostile-input-unit",
      "Hostile server input, unit (jqwik, fake transport)");
  private static final AtomicLong FRAMES = new AtomicLong();
  private static final AtomicLong REPORTED = new AtomicLong();
  private static final AtomicLong DELIVERED = new AtomicLong();
  private static final AtomicLong UNACCOUNTED = new AtomicLong();
  private static final AtomicLong FOLLOW_UPS = new AtomicLong();
  private static final AtomicLong FOLLOW_UPS_ACKNOWLEDGED = new AtomicLong();
  private static final AtomicLong FOLLOW_UP_OUTCOMES_BEYOND_ONE = new AtomicLong();

  /** A payload type for the typed binding: most payloads do not fit it. */
  record Typed(String value, int n) {}

  @Provide
  Arbitrary<List<HostileFrame>> hostileFrames() {
    return HostileFrames.any().list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<HostileFrame>> strangers() {
    return HostileFrames.strangers().list().ofMinSize(1).ofMaxSize(8);
  }

  // Tries: jqwik.tries.default, 200 in the quick build and 2500 with -Pfull-properties (.ci/run).
  @Property
  void everyHostileFrameIsDeliveredOrReportedAndTheSocketStillWorks(
      @ForAll("hostileFrames") List<HostileFrame> frames) {
    Client client = new Client();
    for (HostileFrame frame : frames) {
      client.receive(frame);
    }
    assertThat(client.harness.fake.count()).as("a hostile frame must not cost the connection").isEqualTo(1);
    assertThat(client.harness.socket.state()).isEqualTo(SocketState.OPEN);
    if (!client.serverClosedOrCrashedTheJoin) {
      assertThat(client.harness.channel.state()).as("frames " + frames).isEqualTo(ChannelState.JOINED);
    }
    client.assertAPushAndItsReplyStillWork();
  }

  @Property
  void validFramesForUnknownTopicsRefsAndOldJoinsChangeNothing(@ForAll("strangers") List<HostileFrame> frames) {
    Client client = new Client();
    Push pending = client.harness.channel.push("echo", Map.of("before", true));
    String pendingRef = client.lastSentRef("echo");
    for (HostileFrame frame : frames) {
      client.receive(frame);
    }
    assertThat(client.errors).as("well-formed frames are not errors").isEmpty();
    assertThat(client.harness.channel.state()).isEqualTo(ChannelState.JOINED);
    assertThat(client.harness.channel.joinRef()).isEqualTo(client.joinRef);
    assertThat(client.outcomes(pending)).as("nobody answered the pending push").isZero();
    client.harness.send(client.joinRef, pendingRef, "phx_reply", okReply(JsonNodeFactory.instance.objectNode().put("before", true)));
    assertThat(client.outcomes(pending)).isEqualTo(1);
    assertThat(pending.toFuture().getNow(null).isOk()).isTrue();
    client.assertAPushAndItsReplyStillWork();
  }

  @AfterContainer
  static void writeFigures() {
    FIGURES.unit("hostile frames + follow-up pushes")
        .operations(FRAMES.get() + FOLLOW_UPS.get())
        .acknowledged(FOLLOW_UPS_ACKNOWLEDGED.get())
        .lost(UNACCOUNTED.get() + (FOLLOW_UPS.get() - FOLLOW_UPS_ACKNOWLEDGED.get()))
        .duplicated(FOLLOW_UP_OUTCOMES_BEYOND_ONE.get())
        .note(String.format("%,d frames: %,d delivered as messages, %,d reported as ProtocolException, %d neither; "
            + "0 reconnects; a push answered after every sequence", FRAMES.get(), DELIVERED.get(), REPORTED.get(),
            UNACCOUNTED.get()))
        .write();
  }

  private static ObjectNode okReply(JsonNode response) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode().put("status", "ok");
    payload.set("response", response);
    return payload;
  }

  /** One socket under attack, and what it told its listeners. */
  private static final class Client {
    final ChannelHarness harness = new ChannelHarness();
    final List<PhoenixException> errors = new ArrayList<>();
    final List<Message> messages = new ArrayList<>();
    final String joinRef;
    final Map<Push, int[]> outcomeCounts = new IdentityHashMap<>();
    final Set<String> answered = new HashSet<>();
    boolean serverClosedOrCrashedTheJoin;

    Client() {
      harness.socket.onError(errors::add);
      harness.socket.onMessage(messages::add);
      PhoenixPresence presence = new PhoenixPresence(harness.channel);
      presence.onSync(() -> presence.list().size());
      harness.channel.on("typed", Typed.class, typed -> typed.n());
      harness.channel.publisher("typed", 2, OverflowPolicy.DROP_OLDEST).subscribe(new DemandingSubscriber());
      harness.connectAndJoin();
      joinRef = harness.channel.joinRef();
      assertThat(harness.channel.state()).isEqualTo(ChannelState.JOINED);
    }

    void receive(HostileFrame frame) {
      int errorsBefore = errors.size();
      int messagesBefore = messages.size();
      // A frame reaches the socket on the transport's thread; whatever the frame, nothing may be thrown there.
      if (frame.isText()) {
        harness.fake.last().receive(frame.text());
      } else {
        harness.fake.last().receiveBinary(frame.binary());
      }
      FRAMES.incrementAndGet();
      int newErrors = errors.size() - errorsBefore;
      int newMessages = messages.size() - messagesBefore;
      assertThat(newMessages).as("messages for %s", frame).isLessThanOrEqualTo(1);
      assertThat(errors.subList(errorsBefore, errors.size())).allMatch(e -> e instanceof ProtocolException);
      if (newMessages == 0) {
        assertThat(newErrors).as("an undecodable frame is reported once: %s", frame).isEqualTo(1);
        REPORTED.incrementAndGet();
      } else {
        DELIVERED.incrementAndGet();
        Message message = messages.get(messages.size() - 1);
        // As in phoenix.js, a control message addresses the channel when its join_ref is the current one, or null
        // (a broadcast of phx_error or phx_close to the topic).
        boolean addressesTheJoin = message.joinRef() == null || joinRef.equals(message.joinRef());
        if (HostileFrames.TOPIC.equals(message.topic()) && addressesTheJoin
            && (message.event().equals("phx_close") || message.event().equals("phx_error"))) {
          serverClosedOrCrashedTheJoin = true;
        }
      }
      if (newErrors + newMessages == 0) {
        UNACCOUNTED.incrementAndGet();
      }
    }

    /** Pushes on the channel (or, if the server closed it, on a new one) and answers as a server would. */
    void assertAPushAndItsReplyStillWork() {
      PhoenixChannel channel = harness.channel;
      if (channel.state() == ChannelState.CLOSED) {
        channel = harness.socket.channel(HostileFrames.TOPIC);
        channel.join();
      }
      FOLLOW_UPS.incrementAndGet();
      Push push = channel.push("echo", Map.of("after", true));
      track(push);
      // Up to a few rounds: a crashed channel rejoins on its backoff first, and its buffered push goes out then.
      for (int round = 0; round < 8 && outcomes(push) == 0; round++) {
        answerJoinsAndEchoes();
        harness.loop.advance(Duration.ofSeconds(1));
      }
      assertThat(outcomes(push)).isEqualTo(1);
      Reply reply = push.toFuture().getNow(null);
      assertThat(reply.isOk()).as("the reply after the hostile frames: %s", reply).isTrue();
      assertThat(reply.response().get("after").asBoolean()).isTrue();
      FOLLOW_UPS_ACKNOWLEDGED.incrementAndGet();
      // Past the push's timeout: a second outcome would show now.
      harness.loop.advance(Duration.ofSeconds(11));
      if (outcomes(push) > 1) {
        FOLLOW_UP_OUTCOMES_BEYOND_ONE.incrementAndGet();
      }
      assertThat(outcomes(push)).isEqualTo(1);
    }

    private void answerJoinsAndEchoes() {
      for (JsonNode frame : harness.fake.last().sentJson()) {
        String ref = frame.path(1).asText();
        String event = frame.path(3).asText();
        if (!answered.add(ref)) {
          continue;
        }
        String frameJoinRef = frame.path(0).isNull() ? null : frame.path(0).asText();
        String topic = frame.path(2).asText();
        switch (event) {
          case "phx_join", "phx_leave" -> harness.fake.last().receive(ServerFrames.ok(frameJoinRef, ref, topic));
          case "echo" -> harness.fake.last().receive(ServerFrames.frame(frameJoinRef, ref, topic, "phx_reply",
              okReply(frame.path(4))));
          case "heartbeat" -> harness.fake.last().receive(ServerFrames.heartbeatReply(ref));
          default -> { }
        }
      }
    }

    String lastSentRef(String event) {
      List<JsonNode> sent = harness.fake.last().sentWithEvent(event);
      return sent.get(sent.size() - 1).path(1).asText();
    }

    void track(Push push) {
      int[] count = new int[1];
      outcomeCounts.put(push, count);
      push.receive("ok", reply -> count[0]++);
      push.receive("error", reply -> count[0]++);
      push.receive("timeout", reply -> count[0]++);
    }

    int outcomes(Push push) {
      if (!outcomeCounts.containsKey(push)) {
        track(push);
      }
      return outcomeCounts.get(push)[0];
    }
  }

  /** Requests everything, so the publisher delivers whatever arrives. */
  private static final class DemandingSubscriber implements Flow.Subscriber<Message> {
    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Message item) {
      item.payload().size();
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
