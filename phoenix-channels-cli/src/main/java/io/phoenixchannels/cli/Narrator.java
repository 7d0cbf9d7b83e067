package io.phoenixchannels.cli;

import java.util.Map;

/** Tells the demo's story through a printer: numbered steps, lines of narration, the summary. Any thread. */
final class Narrator {
  private final EventPrinter printer;
  private final int steps;
  private int step;
  private volatile boolean closed;

  Narrator(EventPrinter printer, int steps) {
    this.printer = printer;
    this.steps = steps;
  }

  /** Starts the next step. */
  synchronized void step(String title) {
    printer.print(new CliEvent.Step(++step, steps, title));
  }

  /** One line of the story; nothing once the story is {@linkplain #close() over}. */
  void say(String text) {
    if (!closed) {
      printer.print(new CliEvent.Note(text));
    }
  }

  /** Ends the story: what the callbacks see while the demo cleans up is not told. */
  void close() {
    closed = true;
  }

  /** Something went wrong. */
  void fail(String text) {
    printer.print(new CliEvent.Error(text));
  }

  /** The figures at the end. */
  void summary(Map<String, Object> figures) {
    printer.print(new CliEvent.Summary(figures));
  }
}
