package io.phoenixchannels.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Timers set on a Netty loop's own thread: one list per delay, in the order they were set. */
class TimerListsTest {
  private final NettyEventLoops netty = NettyEventLoops.create(1);
  private final EventLoop loop = netty.next();
  private final List<String> fired = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    netty.close();
  }

  private EventLoop.Cancellable onLoop(String name, long millis) throws Exception {
    CompletableFuture<EventLoop.Cancellable> set = new CompletableFuture<>();
    loop.execute(() -> set.complete(loop.schedule(() -> fired.add(name), Duration.ofMillis(millis))));
    return set.get(5, TimeUnit.SECONDS);
  }

  @Test
  void timersOfOneDelayFireInOrderAndACancelledOneNever() throws Exception {
    onLoop("a", 30);
    EventLoop.Cancellable b = onLoop("b", 30);
    onLoop("c", 30);
    loop.execute(b::cancel);
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 2);
    assertThat(fired).containsExactly("a", "c");
  }

  @Test
  void timersOfDifferentDelaysFireByDeadline() throws Exception {
    onLoop("late", 200);
    onLoop("early", 20);
    onLoop("middle", 80);
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 3);
    assertThat(fired).containsExactly("early", "middle", "late");
  }

  @Test
  void cancellingTheHeadLetsTheNextFireOnTimeAndACancelFromAnotherThreadWorks() throws Exception {
    EventLoop.Cancellable first = onLoop("first", 40);
    onLoop("second", 40);
    EventLoop.Cancellable third = onLoop("third", 40);
    first.cancel(); // from the test thread: handed to the loop
    third.cancel();
    // A later timer of the same delay fires after every earlier one of its list: once it has, the cancelled ones
    // had their turn and did not take it.
    onLoop("sentinel", 40);
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains("sentinel"));
    assertThat(fired).containsExactly("second", "sentinel");
  }

  @Test
  void aTimerThatThrowsDoesNotStopTheOthersAndAListIsReusedAfterItEmptied() throws Exception {
    CompletableFuture<Void> set = new CompletableFuture<>();
    loop.execute(() -> {
      loop.schedule(() -> {
        throw new IllegalStateException("a timer fails on purpose");
      }, Duration.ofMillis(20));
      loop.schedule(() -> fired.add("after"), Duration.ofMillis(20));
      set.complete(null);
    });
    set.get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 1);
    onLoop("again", 20);
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 2);
    assertThat(fired).containsExactly("after", "again");
  }

  @Test
  void aTimerSetFromAnotherThreadFires() {
    loop.schedule(() -> fired.add("elsewhere"), Duration.ofMillis(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 1);
  }
}
