package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Push;
import io.phoenixchannels.Reply;
import io.phoenixchannels.it.FaultProxy;
import io.phoenixchannels.testing.CapturedLogs;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testing.SilentLogger;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.HandleResult;
import io.phoenixchannels.testserver.PhoenixTestServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * One socket, 16 threads pushing 10,000 pushes each (at most 1,600 without an outcome at a time), another thread
 * joining and leaving other channels all along, and the link cut twice through a proxy. Callbacks run on a pool of
 * four threads, so the socket's promise that its callbacks never overlap is what keeps them apart.
 *
 * <p>Every push gets exactly one outcome (acknowledged, timed out, or failed at once because the channel's bounded
 * buffer was full while the link was down) and reaches the server at most once; no callback overlaps another; no
 * exception escapes any thread (uncaught, or logged as an error by the client); nothing deadlocks (every wait has a
 * deadline, and the JVM finds no deadlocked threads).
 */
class ConcurrentPushesTest {
  private static final int THREADS = 16;
  private static final int PUSHES_PER_THREAD = 10_000;
  private static final int TOTAL = THREADS * PUSHES_PER_THREAD;
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration DEADLINE = Duration.ofSeconds(45);

  @Test
  void everyPushEndsOnceCallbacksNeverOverlapAndNothingEscapesOrDeadlocks() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("2-concurrency",
        "16 threads × 10,000 pushes on one socket, join/leave churn, link cut twice");
    ServerTally tally = new ServerTally();
    Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
    Thread.UncaughtExceptionHandler previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> escaped.add(error));
    ExecutorService callbackPool = Executors.newFixedThreadPool(4);
    OverlapDetector callbacks = new OverlapDetector();
    Semaphore inFlight = new Semaphore(THREADS * 100);
    PushLedger ledger = new PushLedger(reply -> inFlight.release(), callbacks);
    try (CapturedLogs logs = CapturedLogs.of("io.phoenixchannels", Level.WARNING);
        PhoenixTestServer server = PhoenixTestServer.builder().recordFrames(false)
            .logger(new SilentLogger())
            .channel("room:*", tally::handler)
            .channel("side:*", () -> ChannelHandler.joinAll(event -> HandleResult.ok())).start();
        FaultProxy proxy = new FaultProxy(server.port());
        PhoenixSocket socket = Sockets.fast("ws://127.0.0.1:" + proxy.port() + "/socket")
            .timeout(PUSH_TIMEOUT).pushBufferLimit(200).sendBufferLimit(200)
            .callbackExecutor(callbackPool).build()) {
      socket.onOpen(callbacks.wrap(() -> { }));
      socket.onClose(callbacks.wrap(close -> { }));
      socket.onError(callbacks.wrap(error -> { }));
      socket.onMessage(callbacks.wrap(message -> { }));
      JoinedChannels rooms = new JoinedChannels(socket, JoinedChannels.topics("room:", 4));
      socket.connect();
      rooms.awaitAllJoined(Duration.ofSeconds(5));

      AtomicLong pushed = new AtomicLong();
      List<Thread> pushers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        PhoenixChannel channel = rooms.get(t % 4);
        pushers.add(start("pusher-" + t, escaped, () -> {
          for (int i = 0; i < PUSHES_PER_THREAD; i++) {
            if (!inFlight.tryAcquire(PUSH_TIMEOUT.toMillis() * 5, TimeUnit.MILLISECONDS)) {
              throw new AssertionError("no outcome freed a slot for " + PUSH_TIMEOUT.toMillis() * 5 + " ms");
            }
            long id = ledger.nextId();
            Push push = channel.push("echo", Map.of("id", id));
            ledger.track(id, push);
            pushed.incrementAndGet();
          }
        }));
      }
      AtomicLong sideJoins = new AtomicLong();
      AtomicLong sideJoinFailures = new AtomicLong();
      Thread churner = start("join-leave", escaped, () -> {
        for (int n = 0; n < 10_000 && pushed.get() < TOTAL; n++) {
          PhoenixChannel side = socket.channel("side:" + n);
          side.onError(callbacks.wrap(error -> { }));
          side.onClose(callbacks.wrap(close -> { }));
          try {
            Reply joined = side.join().toFuture().get(5, TimeUnit.SECONDS);
            (joined.isOk() ? sideJoins : sideJoinFailures).incrementAndGet();
          } catch (ExecutionException timedOut) {
            sideJoinFailures.incrementAndGet();
          }
          try {
            side.leave().toFuture().get(5, TimeUnit.SECONDS);
          } catch (ExecutionException timedOut) {
            // A leave that times out while the link is down still closes the channel.
          }
        }
      });

      long[] cutsAt = {TOTAL / 3, 2L * TOTAL / 3};
      List<Duration> recoveries = new ArrayList<>();
      for (long cutAt : cutsAt) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(5)).until(() -> pushed.get() >= cutAt);
        long cutNanos = System.nanoTime();
        proxy.cut();
        recoveries.add(rooms.awaitRejoinedSince(cutNanos, Duration.ofSeconds(10)));
      }
      for (Thread thread : pushers) {
        joinWithin(thread, DEADLINE);
      }
      joinWithin(churner, DEADLINE);
      long lost = ledger.awaitSettled(PUSH_TIMEOUT.multipliedBy(3));

      assertThat(escaped).as("exceptions that escaped a thread").isEmpty();
      assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).as("deadlocked threads").isNull();
      assertThat(logs.records()).as("errors the client logged (a throwing task or callback)")
          .noneMatch(record -> record.getLevel().intValue() >= Level.SEVERE.intValue());
      assertThat(ledger.sent()).isEqualTo(TOTAL);
      assertThat(lost).as("pushes without an outcome: %s", ledger).isZero();
      assertThat(ledger.acknowledged() + ledger.timedOut() + ledger.failed()).isEqualTo(TOTAL);
      assertThat(ledger.duplicated()).as("pushes with two outcomes").isZero();
      assertThat(tally.duplicateDeliveries()).as("pushes delivered twice").isZero();
      assertThat(callbacks.overlaps()).as("callbacks that overlapped another").isZero();
      assertThat(callbacks.threads().size()).as("the pool really ran them on several threads").isGreaterThan(1);
      assertThat(proxy.acceptedConnections()).as("the first connection and one after each cut")
          .isGreaterThanOrEqualTo(3);
      assertThat(sideJoins.get()).as("side channels joined meanwhile").isPositive();

      ledger.addTo(figures, lost);
      recoveries.forEach(figures::recovery);
      figures.duplicated(tally.duplicateDeliveries())
          .note(String.format("%,d callbacks on %d pool threads, 0 overlaps; %d side channels joined and left "
              + "meanwhile (%d joins refused or timed out); 0 escaped exceptions, 0 deadlocks", callbacks.calls(),
              callbacks.threads().size(), sideJoins.get(), sideJoinFailures.get()))
          .write();
    } finally {
      // After the socket closed: its last callbacks (the channels' closes) still need the pool.
      Thread.setDefaultUncaughtExceptionHandler(previousHandler);
      callbackPool.shutdown();
    }
  }

  @FunctionalInterface
  private interface Body {
    void run() throws Exception;
  }

  private static Thread start(String name, Queue<Throwable> escaped, Body body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        escaped.add(t);
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void joinWithin(Thread thread, Duration deadline) throws InterruptedException, TimeoutException {
    thread.join(deadline.toMillis());
    if (thread.isAlive()) {
      StringBuilder dump = new StringBuilder();
      for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
        dump.append(info);
      }
      throw new TimeoutException(thread.getName() + " still running after " + deadline.toMillis() + " ms:\n" + dump);
    }
  }
}
