package io.phoenixchannels.netty;

import io.phoenixchannels.EventLoop;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A socket's event loop on a Netty event-loop thread: tasks go to Netty's own queue, so that a socket and its
 * connection can share one thread. Netty runs tasks one at a time in order, and logs and survives a task that
 * throws, as the socket's contract needs. Timers set on the loop's thread go to {@link TimerLists} (one list per
 * delay, constant-time set and cancel); timers set from other threads, rare, to Netty's scheduler.
 */
final class NettyEventLoop implements EventLoop {
  private final io.netty.channel.EventLoop netty;
  private final TimerLists timers;

  NettyEventLoop(io.netty.channel.EventLoop netty) {
    this.netty = netty;
    this.timers = new TimerLists(netty);
  }

  io.netty.channel.EventLoop netty() {
    return netty;
  }

  @Override
  public boolean inEventLoop() {
    return netty.inEventLoop();
  }

  @Override
  public void execute(Runnable task) {
    netty.execute(task);
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    long nanos = Math.max(0, delay.toNanos());
    if (nanos > 0 && netty.inEventLoop()) {
      return timers.add(task, nanos);
    }
    ScheduledFuture<?> future = netty.schedule(task, nanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "NettyEventLoop{" + netty + "}";
  }
}
