package io.phoenixchannels.internal;

import io.phoenixchannels.EventLoop;
import io.phoenixchannels.internal.log.Log;
import io.phoenixchannels.internal.log.Log.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.Executor;

/**
 * Runs a socket's user callbacks: inline on the event loop by default, or serialized on the user's executor, so
 * that callbacks of one socket never overlap and arrive in the order the loop produced them. A callback that
 * throws is logged and does not disturb the loop or the callbacks after it.
 */
public final class CallbackDispatcher {
  private final EventLoop loop;
  private final Executor userExecutor;
  private final Log logger;
  /**
   * The dispatchers whose callbacks the current thread is running, innermost last. One list per thread for all
   * sockets: a per-dispatcher ThreadLocal would either leave an entry per socket in every loop thread's map
   * (10,000 sockets on two threads) or, removed after each callback, allocate a new weak entry per callback.
   */
  private static final ThreadLocal<ArrayList<CallbackDispatcher>> RUNNING = ThreadLocal.withInitial(ArrayList::new);
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean draining;

  /**
   * @param userExecutor the executor callbacks run on, or {@code null} to run them inline on the loop
   */
  public CallbackDispatcher(EventLoop loop, Executor userExecutor, Log logger) {
    this.loop = loop;
    this.userExecutor = userExecutor;
    this.logger = logger;
  }

  /** Runs a callback on the callback executor; called on the loop. */
  public void dispatch(Runnable callback) {
    if (userExecutor == null) {
      runGuarded(callback);
      return;
    }
    boolean startDrain;
    synchronized (queue) {
      queue.add(callback);
      startDrain = !draining;
      draining = true;
    }
    if (startDrain) {
      try {
        userExecutor.execute(this::drain);
      } catch (RuntimeException e) {
        synchronized (queue) {
          queue.clear();
          draining = false;
        }
        logger.log(Level.ERROR, "the callback executor refused a task; callbacks were dropped", e);
      }
    }
  }

  /**
   * Tells whether the calling thread is the loop's or is running one of this socket's callbacks: where blocking
   * on this socket's futures would deadlock.
   */
  public boolean wouldDeadlock() {
    return loop.runsOnCurrentThread() || RUNNING.get().contains(this);
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          draining = false;
          return;
        }
      }
      runGuarded(next);
    }
  }

  /**
   * Runs one callback now, on the calling thread, logging what it throws. Errors too: an {@code AssertionError}
   * from a test or a {@code StackOverflowError} in a callback must not leave the loop's bookkeeping half done.
   */
  public void runGuarded(Runnable callback) {
    ArrayList<CallbackDispatcher> running = RUNNING.get();
    running.add(this);
    try {
      callback.run();
    } catch (Throwable e) {
      logger.log(Level.ERROR, "a callback threw; the socket carries on", e);
    } finally {
      running.remove(running.size() - 1);
    }
  }
}
