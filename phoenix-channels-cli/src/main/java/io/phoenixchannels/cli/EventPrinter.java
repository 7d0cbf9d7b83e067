package io.phoenixchannels.cli;

import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Prints events as they happen, from any thread: one at a time, each whole, flushed at once. An interactive session
 * {@linkplain #redirect redirects} the lines above its prompt.
 */
final class EventPrinter {
  private final EventFormat format;
  private Consumer<String> sink;

  private EventPrinter(EventFormat format, Consumer<String> sink) {
    this.format = Objects.requireNonNull(format, "format");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** A printer that writes each event as a line (or lines) of a stream. */
  static EventPrinter to(EventFormat format, PrintStream out) {
    return new EventPrinter(format, text -> {
      out.println(text);
      out.flush();
    });
  }

  /** A printer that prints nothing, for the events of a command that reports only its result. */
  static EventPrinter discarding() {
    return new EventPrinter(new JsonLinesFormat(), text -> { });
  }

  /** Prints one event. */
  synchronized void print(CliEvent event) {
    sink.accept(format.format(event));
  }

  /**
   * Sends the lines elsewhere from now on, for example above a prompt that is being edited.
   *
   * @return where they went until now, to restore later
   */
  synchronized Consumer<String> redirect(Consumer<String> newSink) {
    Consumer<String> previous = sink;
    this.sink = Objects.requireNonNull(newSink, "newSink");
    return previous;
  }
}
