package io.phoenixchannels;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A callback executor for game loops: tasks wait in a queue until the loop's thread calls {@link #drain()}, once
 * per frame, the way a Godot node polls in {@code _process}. Callbacks then run on the game thread between two
 * frames, where they may touch game state without locks.
 *
 * <pre>{@code
 * FrameQueueExecutor callbacks = new FrameQueueExecutor();
 * PhoenixSocket socket = PhoenixSocket.builder(url).callbackExecutor(callbacks).build();
 * while (running) {
 *   callbacks.drain(); // this frame's socket callbacks
 *   update();
 *   render();
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * {@link #execute} may be called from any thread: the socket's event loop calls it. {@link #drain()} belongs to
 * one thread at a time, the game loop's; it runs the tasks queued before it started, in order, on that thread.
 * A task queued while a drain runs (for example a callback's push that is answered at once) waits for the next
 * drain, so one frame never runs longer than the work that was there when it began. A game that stops draining
 * stops getting callbacks, and their tasks pile up in the queue: keep draining while sockets are open.
 */
public final class FrameQueueExecutor implements Executor {
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();

  /** Creates an empty queue. */
  public FrameQueueExecutor() {}

  /**
   * Queues a task for the next {@link #drain()}; never runs it on the calling thread.
   *
   * @param task the task
   */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    queue.add(task);
    size.incrementAndGet(); // after the add: a drain that counts a task finds it in the queue
  }

  /**
   * Runs, on the calling thread and in order, the tasks that were queued when this call began. A task that throws
   * does not stop the others: the first exception is rethrown once the drain is over, with the later ones added
   * as {@linkplain Throwable#getSuppressed() suppressed}. (Sockets catch and log their callbacks' exceptions
   * themselves, so their tasks do not throw.)
   *
   * @return how many tasks ran
   * @throws IllegalStateException if a drain is already running, on this thread (a task called it) or another
   */
  public int drain() {
    if (!draining.compareAndSet(false, true)) {
      throw new IllegalStateException("FrameQueueExecutor.drain() is already running; call it from one thread, "
          + "once per frame, and not from a task");
    }
    int ran = 0;
    RuntimeException failure = null;
    try {
      for (int due = size.get(); ran < due; ran++) {
        Runnable task = queue.poll();
        size.decrementAndGet();
        try {
          task.run();
        } catch (RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
    } finally {
      draining.set(false);
    }
    if (failure != null) {
      throw failure;
    }
    return ran;
  }

  /**
   * Returns how many tasks wait for a drain.
   *
   * @return the number of queued tasks
   */
  public int pending() {
    return size.get();
  }
}
