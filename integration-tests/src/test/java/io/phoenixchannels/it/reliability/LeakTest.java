package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Push;
import io.phoenixchannels.Reply;
import io.phoenixchannels.testing.ScenarioFigures;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A thousand times: build a socket with the defaults (the shared event-loop group and HTTP client, created by the
 * first socket and released by the last), connect, join, push, leave, close. Afterwards the client holds nothing:
 * its threads (event loops, HTTP client executor and selector) are gone, back to the count before the cycles; no
 * socket is reachable any more; the heap retained after a full collection has not grown beyond a small bound; the
 * open file descriptors are back to their count before the cycles (counted in {@code /proc/self/fd} on Linux, with
 * the JDK's {@code UnixOperatingSystemMXBean} on macOS; not checked on Windows, which has no such count).
 *
 * <p>The server is {@link RawPhoenixServer}, which keeps nothing of a closed connection, so any growth would be the
 * client's (the test server keeps a record of every connection for inspection, by design).
 */
class LeakTest {
  private static final int WARM_UP = 50;
  private static final int CYCLES = 1_000;
  private static final long HEAP_BOUND = 2L * 1024 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void aThousandCyclesLeaveNoThreadsSocketsHeapOrFileDescriptorsBehind() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("3-leaks",
        "1,000 cycles of build/connect/join/push/leave/close").unit("cycles (1 push each)");
    try (RawPhoenixServer server = new RawPhoenixServer()) {
      PushLedger warmUpLedger = new PushLedger();
      for (int i = 0; i < WARM_UP; i++) {
        cycle(server, warmUpLedger, new ArrayList<>());
      }
      awaitClientThreadsGone();
      List<String> threadsBefore = ResourceCensus.clientSideThreads();
      OptionalLong descriptorsBefore = ResourceCensus.openFileDescriptors();
      long heapBefore = ResourceCensus.retainedHeap();

      PushLedger ledger = new PushLedger();
      List<WeakReference<PhoenixSocket>> sockets = new ArrayList<>();
      long started = System.nanoTime();
      for (int i = 0; i < CYCLES; i++) {
        cycle(server, ledger, sockets);
      }
      Duration cycling = Duration.ofNanos(System.nanoTime() - started);
      long lost = ledger.awaitSettled(WAIT);

      awaitClientThreadsGone();
      // One census that shows everything back, kept as the figures: a second look could catch a file or thread the
      // JVM opens for a moment on its own (a jar, a compiler thread) and blame the client for it.
      AtomicReference<List<String>> settledThreads = new AtomicReference<>();
      AtomicReference<OptionalLong> settledDescriptors = new AtomicReference<>();
      try {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
          System.gc();
          List<String> threads = ResourceCensus.clientSideThreads();
          OptionalLong descriptors = ResourceCensus.openFileDescriptors();
          settledThreads.set(threads);
          settledDescriptors.set(descriptors);
          return threads.size() <= threadsBefore.size() && descriptorsAtMost(descriptors, descriptorsBefore)
              && server.openConnections() == 0;
        });
      } catch (ConditionTimeoutException stillHeld) {
        // The assertions below name what the last census still found.
      }
      long heapAfter = ResourceCensus.retainedHeap();
      long reachableSockets = sockets.stream().filter(reference -> reference.get() != null).count();
      List<String> threadsAfter = settledThreads.get();
      OptionalLong descriptorsAfter = settledDescriptors.get();

      assertThat(threadsAfter).as("threads after the cycles (before: %s)", threadsBefore)
          .hasSizeLessThanOrEqualTo(threadsBefore.size());
      assertThat(threadsAfter).noneMatch(name -> name.startsWith("phoenix-") || name.startsWith("HttpClient-"));
      if (descriptorsBefore.isPresent()) {
        assertThat(descriptorsAfter.getAsLong()).as("open file descriptors")
            .isLessThanOrEqualTo(descriptorsBefore.getAsLong());
      }
      assertThat(server.openConnections()).as("connections the server still holds").isZero();
      assertThat(reachableSockets).as("closed sockets still reachable").isZero();
      assertThat(heapAfter - heapBefore).as("retained heap growth in bytes").isLessThan(HEAP_BOUND);
      assertThat(ledger.acknowledged()).isEqualTo(CYCLES);
      assertThat(lost).isZero();
      assertThat(ledger.duplicated()).isZero();
      assertThat(server.connectionCount()).isEqualTo(WARM_UP + CYCLES);

      ledger.addTo(figures, lost);
      figures.note(String.format("%.1f ms a cycle; client threads %d -> %d; file descriptors %s -> %s; "
              + "retained heap %+.2f MB (bound %d MB); %d of %d closed sockets reachable",
          cycling.toNanos() / 1e6 / CYCLES, threadsBefore.size(), threadsAfter.size(),
          text(descriptorsBefore), text(descriptorsAfter), (heapAfter - heapBefore) / 1024.0 / 1024.0,
          HEAP_BOUND / 1024 / 1024, reachableSockets, CYCLES))
          .write();
    }
  }

  private static void cycle(RawPhoenixServer server, PushLedger ledger, List<WeakReference<PhoenixSocket>> sockets)
      throws Exception {
    PhoenixSocket socket = PhoenixSocket.builder(server.url()).timeout(WAIT).build();
    sockets.add(new WeakReference<>(socket));
    socket.connect();
    PhoenixChannel channel = socket.channel("room:leak");
    assertThat(channel.join().toFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).isOk()).isTrue();
    long id = ledger.nextId();
    Push push = channel.push("echo", Map.of("id", id));
    ledger.track(id, push);
    Reply reply = push.toFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(reply.response().get("id").asLong()).isEqualTo(id);
    assertThat(channel.leave().toFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).isOk()).isTrue();
    socket.close();
  }

  /** The client's threads end once the last socket closed; the HTTP client's selector once it is collected. */
  private static void awaitClientThreadsGone() {
    // Awaitility names the last list in its timeout message: which thread stayed.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      System.gc();
      return ResourceCensus.clientSideThreads().stream()
          .filter(name -> name.startsWith("phoenix-") || name.startsWith("HttpClient-")).toList();
    }, List::isEmpty);
  }

  private static boolean descriptorsAtMost(OptionalLong now, OptionalLong before) {
    return before.isEmpty() || now.isEmpty() || now.getAsLong() <= before.getAsLong();
  }

  private static String text(OptionalLong count) {
    return count.isPresent() ? Long.toString(count.getAsLong()) : "n/a";
  }
}
