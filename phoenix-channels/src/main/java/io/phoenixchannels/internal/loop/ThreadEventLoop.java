package io.phoenixchannels.internal.loop;

import io.phoenixchannels.EventLoop;
import io.phoenixchannels.internal.log.Log;
import io.phoenixchannels.internal.log.Log.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An event loop on one named daemon thread: a lock-free queue of tasks and a heap of timers that only the loop's
 * thread touches. A task costs one queue node and, when the loop sleeps, one unpark; a scheduled executor would
 * wrap every task in a future and insert it in a delay queue under a lock, which showed in the CPU per message.
 *
 * <p>A timer cancelled before it fires stays in the heap, marked, until it is due or until cancelled timers are
 * half the heap, when they are swept out: push timeouts are cancelled by almost every reply, so the sweep keeps the
 * heap from growing with the message rate, at an amortized constant cost per cancel.
 */
public final class ThreadEventLoop implements EventLoop {
  private static final Log LOG = Log.platformDefault(ThreadEventLoop.class.getName());
  /** Sweeps are not worth it for small heaps. */
  private static final int MIN_SWEEP = 64;

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean sleeping;
  private volatile boolean shuttingDown;
  private long nextSequence;
  private int cancelledInHeap;

  /**
   * Starts the loop's thread.
   *
   * @param threadName the thread's name
   */
  public ThreadEventLoop(String threadName) {
    thread = new LoopThread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public boolean inEventLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void execute(Runnable task) {
    if (shuttingDown) {
      throw new RejectedExecutionException("the event loop " + thread.getName() + " is shut down");
    }
    tasks.add(task);
    if (sleeping) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    long delayNanos = Math.max(0, delay.toNanos());
    Timer timer = new Timer(task, System.nanoTime() + delayNanos);
    if (delayNanos == 0) {
      // Due at once: runs in order with the tasks submitted around it.
      execute(timer::fire);
    } else if (inEventLoop()) {
      add(timer);
    } else {
      execute(() -> add(timer));
    }
    return timer;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  /** Lets queued tasks finish, drops pending timers and ends the thread. */
  public void shutdown() {
    shuttingDown = true;
    LockSupport.unpark(thread);
  }

  /**
   * Waits for the thread to end after {@link #shutdown()}.
   *
   * @param timeout how long to wait
   * @return true if it ended
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Returns the loop's thread, for tests that check thread names and counts.
   *
   * @return the thread
   */
  public Thread thread() {
    return thread;
  }

  private void add(Timer timer) {
    if (!timer.cancelled) {
      timer.sequence = nextSequence++;
      timer.inHeap = true;
      timers.add(timer);
    }
  }

  private void run() {
    try {
      while (true) {
        runTasks();
        long waitNanos = runDueTimers();
        if (shuttingDown) {
          runTasks();
          return;
        }
        sleeping = true;
        // Checked after announcing the sleep: a task queued meanwhile either is seen here or unparks the thread.
        if (tasks.isEmpty() && !shuttingDown) {
          if (waitNanos < 0) {
            LockSupport.park(this);
          } else {
            LockSupport.parkNanos(this, waitNanos);
          }
        }
        sleeping = false;
      }
    } finally {
      timers.clear();
      terminated.countDown();
    }
  }

  private void runTasks() {
    for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
      runGuarded(task);
    }
  }

  /** Fires the due timers; returns how long until the next one, or -1 for none. */
  private long runDueTimers() {
    while (true) {
      Timer next = timers.peek();
      if (next == null) {
        return -1;
      }
      if (next.cancelled) {
        timers.poll();
        next.inHeap = false;
        if (next.counted) {
          cancelledInHeap--;
        }
        continue;
      }
      long wait = next.deadline - System.nanoTime();
      if (wait > 0) {
        return wait;
      }
      timers.poll();
      next.inHeap = false;
      next.fire();
      runTasks(); // what the timer queued runs before later timers, as it would on a scheduled executor
    }
  }

  /** Called on the loop after a timer was cancelled: counts it if it is still in the heap, and sweeps. */
  private void cancelledOnLoop(Timer timer) {
    if (!timer.inHeap || timer.counted) {
      return;
    }
    timer.counted = true;
    cancelledInHeap++;
    if (cancelledInHeap >= MIN_SWEEP && cancelledInHeap * 2 >= timers.size()) {
      ArrayList<Timer> live = new ArrayList<>(timers.size() - cancelledInHeap);
      for (Timer each : timers) {
        if (each.cancelled) {
          each.inHeap = false;
          each.counted = false;
        } else {
          live.add(each);
        }
      }
      timers.clear();
      timers.addAll(live);
      cancelledInHeap = 0;
    }
  }

  private static void runGuarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      // A task that throws must not stop the loop: every socket on it would freeze.
      LOG.log(Level.ERROR, "uncaught exception in an event-loop task", e);
    }
  }

  /**
   * Tells whether the calling thread is a loop's, where nothing may block.
   *
   * @return true on the thread of any {@code ThreadEventLoop}
   */
  public static boolean onLoopThread() {
    return Thread.currentThread() instanceof LoopThread;
  }

  /** The loop's thread, recognisable by its type. */
  private static final class LoopThread extends Thread {
    LoopThread(Runnable body, String name) {
      super(body, name);
    }
  }

  /** A task due at a time; ties fire in the order they were scheduled. */
  private final class Timer implements Cancellable, Comparable<Timer> {
    private final Runnable task;
    private final long deadline;
    private long sequence;
    private boolean inHeap;
    private boolean counted;
    private volatile boolean cancelled;

    Timer(Runnable task, long deadline) {
      this.task = task;
      this.deadline = deadline;
    }

    void fire() {
      if (!cancelled) {
        cancelled = true; // fired: a later cancel is a no-op
        runGuarded(task);
      }
    }

    @Override
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      if (inEventLoop()) {
        cancelledOnLoop(this);
      } else if (!shuttingDown) {
        try {
          execute(() -> cancelledOnLoop(this));
        } catch (RejectedExecutionException e) {
          // shut down meanwhile: the timers are dropped anyway
        }
      }
    }

    @Override
    public int compareTo(Timer other) {
      int byDeadline = Long.compare(deadline - other.deadline, 0);
      return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
  }
}
