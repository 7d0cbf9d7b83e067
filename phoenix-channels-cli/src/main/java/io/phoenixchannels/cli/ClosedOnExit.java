package io.phoenixchannels.cli;

import java.util.function.Consumer;

/**
 * A resource closed at the end of a command or when the JVM is stopped (Ctrl-C, SIGTERM), whichever comes first:
 * a session leaves its channels and closes its socket, a server stops, as on a normal end. Closing it twice (the
 * JVM stopping while the command ends) must be harmless.
 *
 * @param <T> the resource
 */
final class ClosedOnExit<T> implements AutoCloseable {
  private final T resource;
  private final Runnable closer;
  private final Thread hook;

  private ClosedOnExit(T resource, Runnable closer, Thread hook) {
    this.resource = resource;
    this.closer = closer;
    this.hook = hook;
  }

  /** Registers the resource to be closed on the JVM's shutdown until it is closed here. */
  static <T> ClosedOnExit<T> of(String name, T resource, Consumer<T> close) {
    Runnable closer = () -> close.accept(resource);
    Thread hook = new Thread(closer, "phx-shutdown-" + name);
    Runtime.getRuntime().addShutdownHook(hook);
    return new ClosedOnExit<>(resource, closer, hook);
  }

  /** The resource. */
  T get() {
    return resource;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is stopping and the hook closes the resource too.
    }
    closer.run();
  }
}
