package io.phoenixchannels;

import io.phoenixchannels.internal.loop.ThreadEventLoop;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A fixed set of event-loop threads that many sockets share: 10,000 sockets need no more threads than the group
 * has. Each socket is pinned to one loop of the group (round robin) for its whole life.
 *
 * <p>Sockets built without a group share a default one with {@code min(4, processors)} daemon threads named
 * {@code phoenix-loop-N}; it is started by the first socket and stopped when the last socket using it is
 * {@linkplain PhoenixSocket#close() closed}. A group made with {@link #create(int)} belongs to the caller, who
 * closes it after the sockets using it. All methods are thread-safe.
 */
public final class EventLoopGroup implements AutoCloseable {
  private static final AtomicInteger GROUP_IDS = new AtomicInteger();
  private static final Object SHARED_LOCK = new Object();
  private static EventLoopGroup shared;
  private static int sharedUsers;

  private final List<ThreadEventLoop> loops;
  private final AtomicInteger nextLoop = new AtomicInteger();

  private EventLoopGroup(int threads, String namePrefix) {
    if (threads < 1) {
      throw new IllegalArgumentException("an event-loop group needs at least one thread, got " + threads);
    }
    loops = IntStream.range(0, threads)
        .mapToObj(i -> new ThreadEventLoop(namePrefix + i))
        .collect(Collectors.collectingAndThen(Collectors.toList(), Collections::unmodifiableList));
  }

  /**
   * Creates a group with its own daemon threads, named {@code phoenix-loop-G-N}.
   *
   * @param threads the number of threads, at least 1; one or two per core is plenty, since no task blocks
   * @return the group; close it when the sockets using it are closed
   */
  public static EventLoopGroup create(int threads) {
    return new EventLoopGroup(threads, "phoenix-loop-" + GROUP_IDS.incrementAndGet() + "-");
  }

  /**
   * Returns the loop the next socket is pinned to.
   *
   * @return one of the group's loops, round robin
   */
  public EventLoop next() {
    return loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
  }

  /**
   * Returns the number of threads.
   *
   * @return the group's size
   */
  public int size() {
    return loops.size();
  }

  /**
   * Stops the threads once the tasks already queued have run; pending timers are dropped. Sockets still using the
   * group stop working, so close them first.
   */
  @Override
  public void close() {
    loops.forEach(ThreadEventLoop::shutdown);
  }

  /** Takes a share of the default group, starting it if no socket uses it. */
  static EventLoopGroup acquireShared() {
    synchronized (SHARED_LOCK) {
      if (shared == null) {
        shared = new EventLoopGroup(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
            "phoenix-loop-");
      }
      sharedUsers++;
      return shared;
    }
  }

  /** Gives back a share of the default group, stopping its threads when no socket uses it any more. */
  static void releaseShared(EventLoopGroup group) {
    synchronized (SHARED_LOCK) {
      if (group != shared || sharedUsers == 0) {
        return;
      }
      if (--sharedUsers == 0) {
        shared.close();
        shared = null;
      }
    }
  }
}
