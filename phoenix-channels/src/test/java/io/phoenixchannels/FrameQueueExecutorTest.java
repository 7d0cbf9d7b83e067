package io.phoenixchannels;

import static io.phoenixchannels.testing.ServerFrames.broadcast;
import static io.phoenixchannels.testing.ServerFrames.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.SilentLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FrameQueueExecutorTest {
  private final FrameQueueExecutor frames = new FrameQueueExecutor();

  @Nested
  class Draining {
    @Test
    void runsNothingUntilDrainedThenEverythingInOrderOnTheDrainingThread() {
      List<String> ran = new ArrayList<>();
      frames.execute(() -> ran.add("a " + Thread.currentThread().getName()));
      frames.execute(() -> ran.add("b " + Thread.currentThread().getName()));
      assertThat(ran).isEmpty();
      assertThat(frames.pending()).isEqualTo(2);

      assertThat(frames.drain()).isEqualTo(2);

      String self = Thread.currentThread().getName();
      assertThat(ran).containsExactly("a " + self, "b " + self);
      assertThat(frames.pending()).isZero();
      assertThat(frames.drain()).isZero();
    }

    @Test
    void leavesTasksQueuedDuringADrainForTheNextFrame() {
      List<Integer> ran = new ArrayList<>();
      frames.execute(() -> {
        ran.add(1);
        frames.execute(() -> ran.add(2));
      });

      assertThat(frames.drain()).isEqualTo(1);
      assertThat(ran).containsExactly(1);
      assertThat(frames.drain()).isEqualTo(1);
      assertThat(ran).containsExactly(1, 2);
    }

    @Test
    void runsEveryTaskEvenWhenSomeThrowAndRethrowsTheFirstFailure() {
      List<Integer> ran = new ArrayList<>();
      frames.execute(() -> {
        throw new IllegalStateException("first");
      });
      frames.execute(() -> ran.add(2));
      frames.execute(() -> {
        throw new IllegalArgumentException("second");
      });

      assertThatThrownBy(frames::drain).isInstanceOf(IllegalStateException.class).hasMessage("first")
          .satisfies(e -> assertThat(e.getSuppressed()).singleElement().isInstanceOf(IllegalArgumentException.class));
      assertThat(ran).containsExactly(2);
      assertThat(frames.pending()).isZero();
    }

    @Test
    void refusesADrainFromInsideADrain() {
      List<Throwable> failures = new ArrayList<>();
      frames.execute(() -> {
        try {
          frames.drain();
        } catch (IllegalStateException e) {
          failures.add(e);
        }
      });
      frames.drain();
      assertThat(failures).singleElement().asString().contains("already running");
    }

    @Test
    void losesNoTaskQueuedByManyThreadsWhileTheGameLoopDrains() throws Exception {
      int threads = 4;
      int perThread = 2_000;
      ExecutorService producers = Executors.newFixedThreadPool(threads);
      try {
        List<Integer> ran = new ArrayList<>();
        CompletableFuture<?>[] done = new CompletableFuture<?>[threads];
        for (int t = 0; t < threads; t++) {
          done[t] = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < perThread; i++) {
              frames.execute(() -> ran.add(1)); // only the draining thread touches the list
            }
          }, producers);
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(done);
        while (!all.isDone()) {
          frames.drain();
        }
        all.get(10, TimeUnit.SECONDS);
        frames.drain();
        assertThat(ran).hasSize(threads * perThread);
      } finally {
        producers.shutdownNow();
      }
    }
  }

  /** The recipe: a socket whose callbacks run on the game loop's thread, one frame at a time. */
  @Nested
  class AsASocketsCallbackExecutor {
    @Test
    void deliversTheSocketsCallbacksInOrderOnTheThreadThatDrains() throws Exception {
      FakeTransport transport = new FakeTransport();
      List<String> seen = new CopyOnWriteArrayList<>();
      try (EventLoopGroup group = EventLoopGroup.create(1);
          PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket")
              .eventLoopGroup(group)
              .transport(transport)
              .callbackExecutor(frames)
              .logger(new SilentLogger())
              .build()) {
        socket.onOpen(() -> seen.add("open on " + Thread.currentThread().getName()));
        PhoenixChannel room = socket.channel("room:1");
        room.on("tick", message -> seen.add("tick " + message.payload().get("i").asInt() + " on "
            + Thread.currentThread().getName()));
        room.join().receive("ok", reply -> seen.add("joined on " + Thread.currentThread().getName()));
        socket.connect();
        await().atMost(Duration.ofSeconds(10)).until(() -> transport.count() == 1);
        transport.last().open();
        await().atMost(Duration.ofSeconds(10)).until(() -> room.state() == ChannelState.JOINING
            && socket.isConnected());
        socket.loop().execute(() -> {
          transport.last().receive(ok("1", "1", "room:1"));
          for (int i = 0; i < 3; i++) {
            transport.last().receive(broadcast("room:1", "tick", "{\"i\":" + i + "}"));
          }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.pending() > 0 && room.state() == ChannelState.JOINED);
        assertThat(seen).as("nothing runs before the frame drains the queue").isEmpty();

        String gameThread = Thread.currentThread().getName();
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().until(() -> {
          frames.drain(); // the game loop: one drain per frame
          return seen.size() == 5;
        });
        assertThat(seen).containsExactly("open on " + gameThread, "joined on " + gameThread,
            "tick 0 on " + gameThread, "tick 1 on " + gameThread, "tick 2 on " + gameThread);
      }
    }
  }
}
