package io.phoenixchannels.internal.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop thread: tasks in submission order (zero-delay timers among them), a task that throws, many submitting
 * threads, shutdown. */
class ThreadEventLoopTest {
  private final ThreadEventLoop loop = new ThreadEventLoop("loop-under-test");

  @AfterEach
  void stop() {
    loop.shutdown();
  }

  private void awaitIdle() throws InterruptedException {
    CountDownLatch idle = new CountDownLatch(1);
    loop.execute(idle::countDown);
    assertThat(idle.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void runsTasksAndZeroDelayTimersInTheOrderTheyCameAndSurvivesOneThatThrows() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CountDownLatch hold = new CountDownLatch(1);
    loop.execute(() -> {
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loop.execute(() -> ran.add("a"));
    loop.schedule(() -> ran.add("b"), Duration.ZERO);
    loop.execute(() -> {
      throw new IllegalStateException("a task fails on purpose");
    });
    loop.execute(() -> ran.add("c"));
    loop.schedule(() -> ran.add("never"), Duration.ZERO).cancel();
    hold.countDown();
    awaitIdle();
    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  void firesTimersAndRunsTasksOnItsOwnThread() throws Exception {
    CountDownLatch fired = new CountDownLatch(1);
    List<Boolean> onLoop = new CopyOnWriteArrayList<>();
    loop.schedule(() -> {
      onLoop.add(loop.inEventLoop());
      fired.countDown();
    }, Duration.ofMillis(20));
    assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(onLoop).containsExactly(true);
    assertThat(loop.inEventLoop()).isFalse();
  }

  @Test
  void runsEveryTaskOfManyThreadsOnceAndInEachThreadsOrder() throws Exception {
    int threads = 4;
    int perThread = 5000;
    List<List<Integer>> seen = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      seen.add(new ArrayList<>());
    }
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      submitters.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          int n = i;
          loop.execute(() -> seen.get(thread).add(n)); // only the loop thread touches the lists
        }
      }));
    }
    submitters.forEach(Thread::start);
    for (Thread submitter : submitters) {
      submitter.join(10_000);
    }
    awaitIdle();
    CountDownLatch read = new CountDownLatch(1);
    List<List<Integer>> copy = new ArrayList<>();
    loop.execute(() -> {
      seen.forEach(list -> copy.add(List.copyOf(list)));
      read.countDown();
    });
    assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
    for (List<Integer> list : copy) {
      assertThat(list).hasSize(perThread).isSorted();
    }
  }

  @Test
  void runsWhatWasQueuedBeforeShutdownAndRefusesTasksAfter() throws Exception {
    CountDownLatch ran = new CountDownLatch(2000);
    CountDownLatch hold = new CountDownLatch(1);
    loop.execute(() -> {
      try {
        hold.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    for (int i = 0; i < 2000; i++) {
      loop.execute(ran::countDown);
    }
    loop.shutdown();
    hold.countDown();
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }
}
