package io.phoenixchannels.testserver.internal;

/** Decides which failures of user code the server contains (all but the JVM's own). */
final class Crashes {
  private Crashes() {}

  /** Rethrows errors no server should swallow (out of memory, stack overflow); returns otherwise. */
  static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError fatal) {
      throw fatal;
    }
  }
}
