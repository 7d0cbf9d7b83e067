package io.phoenixchannels;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An event loop for tests, whose clock moves only when the test calls {@link #advance(Duration)}: timeouts,
 * heartbeats, reconnect and rejoin backoff become instant and deterministic, and no test has to sleep.
 *
 * <p>The thread that creates it drives the loop. A task it submits (every socket method it calls) runs at once,
 * together with whatever that task queues; tasks submitted from other threads (a real transport's callbacks, for
 * instance) wait until the test thread calls {@link #runPending()} or {@link #advance(Duration)}. An exception
 * thrown by a task propagates to the test that ran it. Never block on a socket's futures from the driving thread:
 * nothing would complete them; check {@link java.util.concurrent.CompletableFuture#isDone()} after advancing.
 *
 * <pre>{@code
 * ManualEventLoop loop = new ManualEventLoop();
 * PhoenixSocket socket = PhoenixSocket.builder(url).eventLoop(loop).build();
 * ...
 * loop.advance(Duration.ofSeconds(30)); // the heartbeat goes out
 * }</pre>
 */
public final class ManualEventLoop implements EventLoop {
  private final Thread owner = Thread.currentThread();
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private long now;
  private long nextSequence;
  private boolean running;

  /** Creates a loop whose thread is the calling thread and whose clock reads zero. */
  public ManualEventLoop() {}

  /** True while the driving thread runs this loop's tasks. */
  @Override
  public boolean inEventLoop() {
    return running && isDriver();
  }

  /**
   * Tells whether the calling thread is the one that drives this loop, inside a task or not.
   *
   * @return true on the thread that created the loop
   */
  public boolean isDriver() {
    return Thread.currentThread() == owner;
  }

  /** The driving thread runs this loop, inside a task or not: it must never block on the loop's futures. */
  @Override
  public boolean runsOnCurrentThread() {
    return isDriver();
  }

  /**
   * Queues a task; when called by the driving thread outside a running task, runs it (and whatever is due) at once.
   */
  @Override
  public void execute(Runnable task) {
    queue.add(task);
    if (isDriver() && !running) {
      runPending();
    }
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    Timer timer;
    synchronized (timers) {
      timer = new Timer(now + Math.max(0, delay.toNanos()), nextSequence++, task);
      timers.add(timer);
    }
    return () -> {
      synchronized (timers) {
        timers.remove(timer);
      }
    };
  }

  @Override
  public long nanoTime() {
    synchronized (timers) {
      return now;
    }
  }

  /**
   * Returns the time elapsed on this loop's clock since it was created.
   *
   * @return the manual clock's reading
   */
  public Duration elapsed() {
    return Duration.ofNanos(nanoTime());
  }

  /**
   * Runs queued tasks and timers that are due, including the ones they submit, until none is left.
   *
   * @return the number of tasks run
   * @throws IllegalStateException if called from a thread other than the loop's
   */
  public int runPending() {
    checkOwner();
    if (running) {
      return 0;
    }
    running = true;
    int count = 0;
    try {
      while (true) {
        Runnable task = queue.poll();
        if (task == null) {
          task = pollTimerDueBy(nanoTime());
        }
        if (task == null) {
          return count;
        }
        count++;
        task.run();
      }
    } finally {
      running = false;
    }
  }

  /**
   * Moves the clock forward, running every task and timer that falls due, in time order, with the clock reading
   * each timer's own deadline when it runs.
   *
   * @param duration how far to move the clock
   * @throws IllegalStateException if called from a thread other than the loop's
   */
  public void advance(Duration duration) {
    checkOwner();
    long target = nanoTime() + duration.toNanos();
    runPending();
    while (true) {
      Timer next;
      synchronized (timers) {
        next = timers.peek();
        if (next == null || next.deadline > target) {
          now = target;
          break;
        }
        now = next.deadline;
      }
      runPending();
    }
    runPending();
  }

  /**
   * Returns the number of timers not yet run or cancelled.
   *
   * @return pending timers
   */
  public int pendingTimers() {
    synchronized (timers) {
      return timers.size();
    }
  }

  private Runnable pollTimerDueBy(long time) {
    synchronized (timers) {
      Timer next = timers.peek();
      if (next == null || next.deadline > time) {
        return null;
      }
      return timers.poll().task;
    }
  }

  private void checkOwner() {
    if (!isDriver()) {
      throw new IllegalStateException("a ManualEventLoop is driven only by the thread that created it ("
          + owner.getName() + "), not " + Thread.currentThread().getName());
    }
  }

  private record Timer(long deadline, long sequence, Runnable task) implements Comparable<Timer> {
    @Override
    public int compareTo(Timer other) {
      int byDeadline = Long.compare(deadline, other.deadline);
      return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
  }
}
