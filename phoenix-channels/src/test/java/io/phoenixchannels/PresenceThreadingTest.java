package io.phoenixchannels;

import static io.phoenixchannels.PresenceJson.diffPayload;
import static io.phoenixchannels.PresenceJson.joins;
import static io.phoenixchannels.PresenceJson.leaves;
import static io.phoenixchannels.PresenceJson.meta;
import static io.phoenixchannels.PresenceJson.presence;
import static io.phoenixchannels.PresenceJson.statePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.SilentLogger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A presence on a real event-loop thread, with its callbacks on a pool and its list read from the test thread. */
class PresenceThreadingTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final String TOPIC = "room:lobby";

  private final EventLoopGroup group = EventLoopGroup.create(1);
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final FakeTransport transport = new FakeTransport();
  private final PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket")
      .eventLoopGroup(group).transport(transport).callbackExecutor(pool).logger(new SilentLogger()).build();

  @AfterEach
  void closeAll() {
    socket.close();
    group.close();
    pool.shutdownNow();
  }

  @Test
  void callbacksRunOnTheCallbackExecutorOneAtATimeAndTheListIsReadableFromAnyThread() throws Exception {
    PhoenixChannel channel = socket.channel(TOPIC);
    PhoenixPresence presence = new PhoenixPresence(channel);
    List<String> events = new CopyOnWriteArrayList<>();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    Runnable enter = () -> {
      maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
      threads.add(Thread.currentThread().getName());
    };
    presence.onJoin((key, current, joined) -> {
      enter.run();
      events.add("join " + key);
      active.decrementAndGet();
    });
    presence.onLeave((key, current, left) -> {
      enter.run();
      events.add("leave " + key);
      active.decrementAndGet();
    });
    presence.onSync(() -> {
      enter.run();
      events.add("sync " + presence.list(Presence::key));
      active.decrementAndGet();
    });
    join(channel);

    int guests = 200;
    transport.last().receive(frame(channel.joinRef(), "presence_state", statePayload(presence("host", meta("h")))));
    for (int i = 0; i < guests; i++) {
      transport.last().receive(frame(null, "presence_diff", diffPayload(joins(presence("g" + i, meta("r" + i))))));
      transport.last().receive(frame(null, "presence_diff", diffPayload(leaves(presence("g" + i, meta("r" + i))))));
    }
    transport.last().receive(frame(null, "presence_diff", diffPayload(joins(presence("last", meta("l"))))));

    int expectedEvents = 2 + guests * 4 + 2;
    await().atMost(DEADLINE).until(() -> events.size() == expectedEvents);
    assertThat(presence.list(Presence::key)).as("read from the test thread").containsExactly("host", "last");
    assertThat(events.subList(0, 6)).containsExactly("join host", "sync [host]", "join g0", "sync [host, g0]",
        "leave g0", "sync [host]");
    assertThat(events.get(events.size() - 1)).isEqualTo("sync [host, last]");
    assertThat(maxActive).as("callbacks never overlap").hasValue(1);
    assertThat(threads).as("callbacks run on the pool, not on the loop")
        .noneMatch(name -> name.startsWith("phoenix-loop-"));
    assertThat(presence.isStale()).isFalse();
  }

  private void join(PhoenixChannel channel) throws Exception {
    socket.connect();
    await().atMost(DEADLINE).until(() -> transport.count() == 1);
    transport.last().open();
    channel.join();
    await().atMost(DEADLINE).until(() -> onLoop(() -> transport.last().sentTexts().size()) == 1);
    String joinRef = onLoop(channel::joinRef);
    ObjectNode reply = JsonNodeFactory.instance.objectNode().put("status", "ok");
    reply.putObject("response");
    transport.last().receive(frame(joinRef, joinRef, "phx_reply", reply));
    await().atMost(DEADLINE).until(() -> channel.state() == ChannelState.JOINED);
  }

  /** Runs a task on the socket's loop and waits for its result: a barrier that also publishes loop state. */
  private <T> T onLoop(Callable<T> task) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    socket.loop().execute(() -> {
      try {
        result.complete(task.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String frame(String joinRef, String event, JsonNode payload) {
    return frame(joinRef, null, event, payload);
  }

  private static String frame(String joinRef, String ref, String event, JsonNode payload) {
    ArrayNode frame = JsonNodeFactory.instance.arrayNode().add(joinRef).add(ref).add(TOPIC).add(event);
    frame.add(payload);
    return ChannelHarness.write(frame);
  }
}
