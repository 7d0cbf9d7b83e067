package io.phoenixchannels.internal.loop;

import io.phoenixchannels.EventLoop;
import io.phoenixchannels.internal.log.Log;
import io.phoenixchannels.internal.log.Log.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** An event loop on one named daemon thread, with the JDK's scheduled executor for its queue and timers. */
public final class ThreadEventLoop implements EventLoop {
  private static final Log LOG = Log.platformDefault(ThreadEventLoop.class.getName());

  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  public ThreadEventLoop(String threadName) {
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread t = new Thread(runnable, threadName);
      t.setDaemon(true);
      thread = t;
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.prestartCoreThread();
  }

  @Override
  public boolean inEventLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(guarded(task));
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    ScheduledFuture<?> future = executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  /** Lets queued tasks finish, drops pending timers and ends the thread. */
  public void shutdown() {
    executor.shutdown();
  }

  /** Waits for the thread to end after {@link #shutdown()}. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The loop's thread, for tests that check thread names and counts. */
  public Thread thread() {
    return thread;
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        // A task that throws must not stop the loop: every socket on it would freeze.
        LOG.log(Level.ERROR, "uncaught exception in an event-loop task", e);
      }
    };
  }
}
