package io.phoenixchannels.internal;

import io.phoenixchannels.transport.Transport;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Inbound flow control for one connection: counts the frames a transport has handed over and the application has
 * not yet been given, pauses the transport's reading when they pass the window, and resumes it when they are down
 * to half. A server that pushes faster than the handlers run then fills TCP's buffers, not the heap.
 *
 * <p>{@link #taken()} runs on the transport's thread, inside its {@code onText}/{@code onBinary}, so the pause comes
 * before the next read and never waits behind the event loop's backlog; {@link #released()} runs where the frame's
 * callbacks ran (the event loop, or the user's callback executor). The count is an atomic; the lock is taken only
 * to pause or resume, and each re-checks the count under it, so that a release racing a pause never leaves the
 * transport paused with nothing left to release.
 */
public final class InboundWindow {
  private final int limit;
  private final int resumeAt;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean paused;
  private Transport transport;

  /**
   * @param limit the most frames taken and not yet released before reading pauses; 0 for no limit
   */
  public InboundWindow(int limit) {
    this.limit = limit == 0 ? Integer.MAX_VALUE : limit;
    this.resumeAt = limit == 0 ? Integer.MAX_VALUE : limit / 2;
  }

  /**
   * Names the transport to pause and resume; a pause decided before it was known applies now.
   *
   * @param transport the connection's transport
   */
  public synchronized void attach(Transport transport) {
    this.transport = transport;
    if (paused && transport != null) {
      transport.pauseReading();
    }
  }

  /** A frame came from the transport; called on its thread. */
  public void taken() {
    if (pending.incrementAndGet() > limit && !paused) {
      pause();
    }
  }

  /** A frame's callbacks ran; called on the loop or the callback executor. */
  public void released() {
    if (pending.decrementAndGet() <= resumeAt && paused) {
      resume();
    }
  }

  /**
   * Tells whether reading is paused, for tests and diagnostics.
   *
   * @return true while paused
   */
  public boolean isPaused() {
    return paused;
  }

  private synchronized void pause() {
    if (paused || pending.get() <= limit) {
      return;
    }
    paused = true;
    // A release may have brought the count down between the check above and the flag: it saw no pause to undo.
    if (pending.get() <= resumeAt) {
      paused = false;
      return;
    }
    if (transport != null) {
      transport.pauseReading();
    }
  }

  private synchronized void resume() {
    if (!paused || pending.get() > resumeAt) {
      return;
    }
    paused = false;
    if (transport != null) {
      transport.resumeReading();
    }
  }
}
