package io.phoenixchannels.benchmarks.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the client process costs: its CPU time, threads and heap, read from inside the process. */
public final class ProcessMetrics {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ProcessMetrics() {}

  /**
   * Returns the CPU time of the whole process, every thread included (GC and JIT too), as the OS counts it.
   *
   * @return nanoseconds
   */
  public static long cpuNanos() {
    return OS.getProcessCpuTime();
  }

  /**
   * Returns the live Java threads, daemon or not: what "live threads" means for the scale goal.
   *
   * @return the thread count
   */
  public static int javaThreads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /**
   * Returns the OS threads of the process (the JVM's own GC, JIT and VM threads included), comparable with Node's.
   *
   * @return the entries of {@code /proc/self/task}, or -1 where there is no such directory
   */
  public static int osThreads() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return (int) tasks.count();
    } catch (IOException e) {
      return -1;
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  /**
   * Collects garbage until the used heap stops shrinking, then returns it: what is retained.
   *
   * @return used heap bytes after full collections
   */
  public static long heapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      sleepMillis(100);
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (now >= used - 64 * 1024) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }

  /**
   * Sleeps, giving up on interruption by restoring the flag.
   *
   * @param millis how long
   */
  public static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
