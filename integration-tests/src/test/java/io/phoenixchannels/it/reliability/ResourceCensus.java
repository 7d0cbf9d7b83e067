package io.phoenixchannels.it.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What a process holds, for the leak test: live threads (by name, so that the in-process servers' own threads can
 * be left out), open file descriptors, and the heap that survives a full collection.
 */
final class ResourceCensus {
  private ResourceCensus() {}

  /**
   * The names of the live threads that belong neither to an in-process server nor to the test's own machinery:
   * the servers' threads are named after them, and Awaitility evaluates its conditions on a thread of its own.
   */
  static List<String> clientSideThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> !name.startsWith("phoenix-testserver") && !name.startsWith("raw-phoenix")
            && !name.startsWith("awaitility"))
        .sorted()
        .toList();
  }

  /**
   * Counts the open file descriptors: the entries of {@code /proc/self/fd} on Linux; elsewhere on Unix (macOS) the
   * JDK's {@code UnixOperatingSystemMXBean}; on Windows, which has handles instead, nothing.
   *
   * @return the count, or empty where the platform cannot tell
   */
  static OptionalLong openFileDescriptors() {
    Path fds = Path.of("/proc/self/fd");
    if (Files.isDirectory(fds)) {
      try (Stream<Path> entries = Files.list(fds)) {
        // Listing the directory opens one descriptor itself, which is counted: subtract it.
        return OptionalLong.of(entries.count() - 1);
      } catch (IOException e) {
        return OptionalLong.empty();
      }
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return OptionalLong.of(unix.getOpenFileDescriptorCount());
    }
    return OptionalLong.empty();
  }

  /** The heap in use after full collections, in bytes: what is retained. */
  static long retainedHeap() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    // Several rounds: finalization and reference processing can free more on the next one.
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
