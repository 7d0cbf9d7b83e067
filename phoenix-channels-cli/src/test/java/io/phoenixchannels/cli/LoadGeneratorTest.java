package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadGenerator} on a manual clock against the reference app: which pushes are due when, which phase each
 * latency belongs to, and when a run gives up — independent of how busy the machine is.
 */
class LoadGeneratorTest {
  private static final long MS = 1_000_000L;
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final JsonNode NO_PRESENCE = Json.parse("{\"presence\":false}");

  private static PhoenixTestServer server;

  private final ManualBenchClock clock = new ManualBenchClock();
  private LoadGenerator load;

  @BeforeAll
  static void start() {
    server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeSockets() {
    if (load != null) {
      load.stop();
      load.closeAll();
    }
  }

  @Test
  void pushesDueBeforeTheMeasurementAreAWarmUpAndEachLatencyRunsFromTheDueTime() throws Exception {
    load = generator(server.url(), "room:bench");
    // 10 pushes a second from 0; the ramp-up (and warm-up) ends at 1 s, the run at 2 s.
    CompletableFuture<Void> pushing = run(() -> load.push(10, 0, 1000 * MS, 2000 * MS));
    await().atMost(DEADLINE).until(() -> clock.isSleepingUntil(100 * MS)); // slot 0 passed: nothing joined yet
    assertThat(load.snapshot().sent()).isZero();

    // Two sockets over a 1 s ramp-up: the first at once, the second due at 0.5 s.
    CompletableFuture<Void> opening = run(() -> load.open(2, 0, Duration.ofSeconds(1)));
    await().atMost(DEADLINE).until(() -> load.snapshot().joined() == 1 && clock.isSleepingUntil(500 * MS));

    clock.advanceTo(100 * MS); // slot 1, on time
    await().atMost(DEADLINE).until(() -> load.snapshot().ok() == 1);

    clock.advanceTo(1000 * MS); // slots 2-9 (warm-up) late, slot 10 (steady state) on time; the second socket
    await().atMost(DEADLINE).until(() -> load.snapshot().ok() == 10 && load.snapshot().joined() == 2);
    opening.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

    clock.advanceTo(2000 * MS); // slots 11-19 late; slot 20 is due at the end, so the run is over
    pushing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    await().atMost(DEADLINE).until(() -> load.snapshot().ok() == 19);

    assertThat(load.snapshot().sent()).isEqualTo(19);
    assertThat(load.warmUp().getTotalCount()).isEqualTo(9);
    assertThat(load.steady().getTotalCount()).isEqualTo(10);
    // Slot 2 was due at 0.2 s and sent at 1 s: it waited 0.8 s, as a stalled client's push would.
    assertThat((double) load.warmUp().getMaxValue()).isCloseTo(800 * MS, withinPercentage(1));
    assertThat(load.warmUp().getMinValue()).isZero();
    assertThat((double) load.steady().getMaxValue()).isCloseTo(900 * MS, withinPercentage(1));
    assertThat(load.steady().getMinValue()).isZero();
    assertThat(load.hopeless()).isFalse();
    assertThat(load.firstFailure()).isEmpty();
  }

  @Test
  void eachSnapshotHoldsTheLatenciesSinceThePreviousOneOnly() throws Exception {
    load = generator(server.url(), "room:bench");
    run(() -> load.open(1, 0, Duration.ZERO)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    await().atMost(DEADLINE).until(() -> load.snapshot().joined() == 1);
    AtomicLong summed = new AtomicLong(); // over every snapshot: cumulative intervals would count replies again
    BooleanSupplier recorded = () -> {
      LoadGenerator.Snapshot snapshot = load.snapshot();
      summed.addAndGet(snapshot.interval().getTotalCount());
      return summed.get() == snapshot.ok();
    };
    CompletableFuture<Void> pushing = run(() -> load.push(10, 0, 0, 1000 * MS));
    await().atMost(DEADLINE).until(() -> recorded.getAsBoolean() && summed.get() == 1); // slot 0
    clock.advanceTo(500 * MS);
    await().atMost(DEADLINE).until(() -> recorded.getAsBoolean() && summed.get() == 6); // slots 1-5
    clock.advanceTo(1000 * MS);
    pushing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    await().atMost(DEADLINE).until(() -> recorded.getAsBoolean() && summed.get() == 10); // slots 6-9
    assertThat(load.steady().getTotalCount()).isEqualTo(10);
  }

  @Test
  void aDeadPortStopsTheRunAtOnceAndSaysWhy() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    load = generator("ws://127.0.0.1:" + closedPort + "/socket", "room:bench");
    CompletableFuture<Void> pushing = run(() -> load.push(10, 0, 0, 60_000 * MS));
    CompletableFuture<Void> opening = run(() -> load.open(3, 0, Duration.ZERO));
    // The clock never moves: the run ends because nothing can join, not because its time is up.
    pushing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    opening.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(load.hopeless()).isTrue();
    assertThat(load.firstFailure()).hasValue("connection refused (is the server running?)");
    assertThat(load.snapshot().sent()).isZero();
  }

  @Test
  void aJoinRefusedOnEverySocketStopsTheRunAndSaysWhy() throws Exception {
    load = generator(server.url(), "room:private");
    CompletableFuture<Void> pushing = run(() -> load.push(10, 0, 0, 60_000 * MS));
    run(() -> load.open(2, 0, Duration.ZERO)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    pushing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(load.hopeless()).isTrue();
    assertThat(load.firstFailure()).hasValue("the server refused to join room:private: {\"reason\":\"unauthorized\"}");
  }

  @Test
  void aRefusedTopicBesideAJoinedOneIsNoReasonToStop() throws Exception {
    load = generator(server.url(), "room:private", "room:open");
    run(() -> load.open(1, 0, Duration.ZERO)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    await().atMost(DEADLINE).until(() -> load.firstFailure().isPresent() && load.snapshot().joined() == 1);
    assertThat(load.hopeless()).isFalse();
    assertThat(load.firstFailure()).hasValue("the server refused to join room:private: {\"reason\":\"unauthorized\"}");
  }

  private LoadGenerator generator(String url, String... topics) {
    return new LoadGenerator(() -> PhoenixSocket.builder(url).build(), List.of(topics), NO_PRESENCE, "echo",
        Json.MAPPER.createObjectNode(), clock, Duration.ofSeconds(5));
  }

  /** Runs a part of the generator on its own thread, as bench does. */
  private static CompletableFuture<Void> run(Interruptible task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        task.run();
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    }, "load-generator-under-test");
    thread.setDaemon(true);
    thread.start();
    return done;
  }

  /** A step of the generator, which may be interrupted. */
  private interface Interruptible {
    void run() throws InterruptedException;
  }
}
