package io.phoenixchannels.testserver.internal;

import io.phoenixchannels.testserver.RecordedFrame;
import io.phoenixchannels.testserver.RecordedFrame.Direction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** Every frame of one connection, in order, with one blocking cursor per direction. Thread-safe. */
final class FrameRecorder {
  private final long connectionId;
  private final boolean enabled;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition added = lock.newCondition();
  private final List<RecordedFrame> frames = new ArrayList<>();
  private int inboundCursor;
  private int outboundCursor;

  FrameRecorder(long connectionId, boolean enabled) {
    this.connectionId = connectionId;
    this.enabled = enabled;
  }

  /** Appends a frame and wakes the waiting takers. Any thread. */
  void record(RecordedFrame frame) {
    if (!enabled) {
      return;
    }
    lock.lock();
    try {
      frames.add(frame);
      added.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Everything so far. Any thread. */
  List<RecordedFrame> snapshot() {
    lock.lock();
    try {
      return List.copyOf(frames);
    } finally {
      lock.unlock();
    }
  }

  /** Takes the next untaken frame of a direction that matches, skipping (and consuming) those that do not. */
  RecordedFrame take(Direction direction, Predicate<RecordedFrame> wanted, String what, Duration timeout) {
    requireEnabled();
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        int cursor = cursor(direction);
        while (cursor < frames.size()) {
          RecordedFrame frame = frames.get(cursor++);
          if (frame.direction() != direction) {
            continue;
          }
          setCursor(direction, cursor);
          if (wanted.test(frame)) {
            return frame;
          }
        }
        setCursor(direction, cursor);
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("connection #" + connectionId + ": no " + what + " within " + timeout.toMillis()
              + " ms; frames so far:\n" + describe());
        }
        awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Fails if a frame of the direction beyond the cursor arrives within the quiet period. */
  void assertNoMore(Direction direction, Duration quietPeriod) {
    requireEnabled();
    long deadline = System.nanoTime() + quietPeriod.toNanos();
    lock.lock();
    try {
      while (true) {
        for (int i = cursor(direction); i < frames.size(); i++) {
          if (frames.get(i).direction() == direction) {
            throw new AssertionError("connection #" + connectionId + ": unexpected " + direction.name()
                .toLowerCase(java.util.Locale.ROOT) + " frame " + frames.get(i) + "; frames so far:\n" + describe());
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private void requireEnabled() {
    if (!enabled) {
      throw new IllegalStateException("frame recording is off for this server (PhoenixTestServer.Builder"
          + ".recordFrames(false))");
    }
  }

  private void awaitNanos(long nanos) {
    try {
      added.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for frames on connection #" + connectionId, e);
    }
  }

  private int cursor(Direction direction) {
    return direction == Direction.INBOUND ? inboundCursor : outboundCursor;
  }

  private void setCursor(Direction direction, int value) {
    if (direction == Direction.INBOUND) {
      inboundCursor = value;
    } else {
      outboundCursor = value;
    }
  }

  private String describe() {
    StringBuilder out = new StringBuilder();
    int from = Math.max(0, frames.size() - 30);
    if (from > 0) {
      out.append("  ... ").append(from).append(" earlier frames\n");
    }
    for (int i = from; i < frames.size(); i++) {
      out.append("  ").append(frames.get(i)).append('\n');
    }
    return out.length() == 0 ? "  (none)" : out.toString();
  }
}
