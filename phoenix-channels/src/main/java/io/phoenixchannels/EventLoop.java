package io.phoenixchannels;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A serial executor with timers: the one place where a socket's state lives and changes.
 *
 * <p>Every socket is owned by one event loop. Transport callbacks, timers and calls from other threads only
 * enqueue tasks on it, so the protocol code takes no locks. Tasks run one at a time, in the order they were
 * submitted. Sockets get a loop from their {@link EventLoopGroup} (by default a shared group of daemon threads);
 * tests can give them a {@link ManualEventLoop}, whose clock only moves when the test says so.
 *
 * <p>Implementations must be thread-safe: {@link #execute} and {@link #schedule} are called from any thread.
 */
public interface EventLoop extends Executor {

  /**
   * Tells whether the calling thread is this loop's thread, that is, whether a task may touch the loop's state
   * directly.
   *
   * @return true on the loop's thread
   */
  boolean inEventLoop();

  /**
   * Tells whether the calling thread is the one that runs this loop's tasks, inside a task or between tasks. A
   * thread that blocks there stops the loop, so the library refuses to wait for its own futures there. By default
   * the same as {@link #inEventLoop()}; a loop that a thread drives by hand, such as {@link ManualEventLoop}, is
   * run by that thread between tasks too.
   *
   * @return true where blocking would stop the loop
   */
  default boolean runsOnCurrentThread() {
    return inEventLoop();
  }

  /**
   * Runs a task on the loop after a delay.
   *
   * @param task the task
   * @param delay the delay; zero or negative runs it as soon as possible, after the tasks already queued
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Runnable task, Duration delay);

  /**
   * Returns the loop's monotonic clock, for measuring intervals such as a ping's round trip.
   *
   * @return nanoseconds from an arbitrary origin
   */
  long nanoTime();

  /** A scheduled task that can still be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task; does nothing if it already ran or was cancelled. */
    void cancel();
  }
}
