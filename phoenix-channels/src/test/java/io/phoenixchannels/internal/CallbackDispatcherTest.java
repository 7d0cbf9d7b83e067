package io.phoenixchannels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.EventLoop;
import io.phoenixchannels.internal.log.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which threads a dispatcher considers inside its callbacks: where blocking on the socket's futures would deadlock. */
class CallbackDispatcherTest {
  /** A loop whose thread is never the caller's, so only the callback bookkeeping decides. */
  private static final EventLoop ELSEWHERE = new EventLoop() {
    @Override
    public boolean inEventLoop() {
      return false;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public void execute(Runnable task) {
      task.run();
    }
  };
  private static final Log LOGGER = Log.of(System.getLogger(CallbackDispatcherTest.class.getName()));

  private final CallbackDispatcher first = new CallbackDispatcher(ELSEWHERE, Runnable::run, LOGGER);
  private final CallbackDispatcher second = new CallbackDispatcher(ELSEWHERE, Runnable::run, LOGGER);

  @Test
  void aThreadIsInsideOnlyTheCallbacksItIsRunning() {
    List<Boolean> seen = new ArrayList<>();
    first.dispatch(() -> {
      seen.add(first.wouldDeadlock());
      seen.add(second.wouldDeadlock());
      second.runGuarded(() -> {
        seen.add(first.wouldDeadlock());
        seen.add(second.wouldDeadlock());
      });
      seen.add(second.wouldDeadlock());
    });
    assertThat(seen).containsExactly(true, false, true, true, false);
    assertThat(first.wouldDeadlock()).isFalse();
    assertThat(second.wouldDeadlock()).isFalse();
  }

  @Test
  void aCallbackThatThrowsLeavesNothingBehind() {
    first.dispatch(() -> {
      throw new IllegalStateException("a user callback fails");
    });
    assertThat(first.wouldDeadlock()).isFalse();
    List<Boolean> seen = new ArrayList<>();
    first.dispatch(() -> seen.add(first.wouldDeadlock()));
    assertThat(seen).containsExactly(true);
  }
}
