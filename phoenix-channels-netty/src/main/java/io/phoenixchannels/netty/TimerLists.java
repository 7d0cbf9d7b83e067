package io.phoenixchannels.netty;

import io.phoenixchannels.EventLoop;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one event loop, kept as Node.js keeps its own: one list per delay, in the order they were set.
 * Timers with the same delay expire in the order they were set, so adding one is an append and cancelling one an
 * unlink, both constant time, and each list needs one Netty task, for its head. A socket sets a push timeout per
 * push and cancels it at the reply; in Netty's own queue each would be a heap insert and a heap removal.
 *
 * <p>Used on the loop's thread only.
 */
final class TimerLists {
  private static final System.Logger LOG = System.getLogger(TimerLists.class.getName());

  private final io.netty.channel.EventLoop netty;
  /** A handful: push timeout, heartbeat interval and timeout, backoff steps; a linear search beats hashing. */
  private final List<TimerList> lists = new ArrayList<>();

  TimerLists(io.netty.channel.EventLoop netty) {
    this.netty = netty;
  }

  /** Sets a timer; the delay must be positive. */
  EventLoop.Cancellable add(Runnable task, long delayNanos) {
    TimerList list = null;
    for (int i = 0; i < lists.size(); i++) {
      if (lists.get(i).delayNanos == delayNanos) {
        list = lists.get(i);
        break;
      }
    }
    if (list == null) {
      list = new TimerList(delayNanos);
      lists.add(list);
    }
    return list.append(task);
  }

  /** The timers of one delay, oldest first: their deadlines never decrease. */
  private final class TimerList implements Runnable {
    final long delayNanos;
    private Timer head;
    private Timer tail;
    /** Whether a Netty task will run this list; it runs at or before the head's deadline. */
    private boolean armed;

    TimerList(long delayNanos) {
      this.delayNanos = delayNanos;
    }

    Timer append(Runnable task) {
      Timer timer = new Timer(this, task, System.nanoTime() + delayNanos);
      if (tail == null) {
        head = timer;
      } else {
        tail.next = timer;
        timer.prev = tail;
      }
      tail = timer;
      if (!armed) {
        arm(timer.deadline);
      }
      return timer;
    }

    void unlink(Timer timer) {
      if (timer.prev == null && head != timer) {
        return; // already run or cancelled
      }
      if (timer.prev == null) {
        head = timer.next;
      } else {
        timer.prev.next = timer.next;
      }
      if (timer.next == null) {
        tail = timer.prev;
      } else {
        timer.next.prev = timer.prev;
      }
      timer.prev = null;
      timer.next = null;
      // The Netty task stays: at worst it runs early, finds nothing due and waits for the new head.
    }

    /** The Netty task: runs what is due, then waits for the next head, or drops the list when it is empty. */
    @Override
    public void run() {
      armed = false;
      long now = System.nanoTime();
      while (head != null && head.deadline - now <= 0) {
        Timer due = head;
        unlink(due);
        try {
          due.task.run();
        } catch (RuntimeException | Error e) {
          // As on any event loop: a timer that throws must not stop the timers after it.
          LOG.log(Level.ERROR, "uncaught exception in a timer task", e);
        }
      }
      if (head != null) {
        if (!armed) {
          arm(head.deadline);
        }
      } else if (!armed) {
        lists.remove(this);
      }
    }

    private void arm(long deadline) {
      armed = true;
      netty.schedule(this, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  /** One timer; cancelling it unlinks it from its list. */
  private final class Timer implements EventLoop.Cancellable {
    final TimerList list;
    final Runnable task;
    final long deadline;
    Timer prev;
    Timer next;

    Timer(TimerList list, Runnable task, long deadline) {
      this.list = list;
      this.task = task;
      this.deadline = deadline;
    }

    @Override
    public void cancel() {
      if (netty.inEventLoop()) {
        list.unlink(this);
      } else {
        netty.execute(() -> list.unlink(this));
      }
    }
  }
}
