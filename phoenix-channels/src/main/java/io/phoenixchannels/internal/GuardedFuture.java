package io.phoenixchannels.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future that refuses to be waited on where waiting would deadlock: on the socket's event loop, or inside one
 * of its callbacks, since the completion has to come from there. Dependent futures carry the same guard.
 */
public final class GuardedFuture<T> extends CompletableFuture<T> {
  private final CallbackDispatcher guard;

  public GuardedFuture(CallbackDispatcher guard) {
    this.guard = guard;
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    checkNotDeadlocking();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    checkNotDeadlocking();
    return super.get(timeout, unit);
  }

  @Override
  public T join() {
    checkNotDeadlocking();
    return super.join();
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new GuardedFuture<>(guard);
  }

  private void checkNotDeadlocking() {
    if (!isDone() && guard.wouldDeadlock()) {
      throw new IllegalStateException("blocking on a Phoenix future from the socket's event loop or one of its "
          + "callbacks would deadlock, because the result is delivered there; use thenAccept/whenComplete or "
          + "Push.receive instead, or wait from another thread");
    }
  }
}
