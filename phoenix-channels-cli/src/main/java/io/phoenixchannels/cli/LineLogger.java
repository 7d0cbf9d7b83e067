package io.phoenixchannels.cli;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Consumer;

/**
 * A {@link System.Logger} for the client and the embedded server that turns each record at or above a level into one
 * line for the user (a throwable becomes its message, never a stack trace), and drops the rest. The library's
 * default logger would print JUL records with stack traces on standard error, between {@code phx}'s own lines.
 */
public final class LineLogger implements System.Logger {
  private final String name;
  private final Level threshold;
  private final Consumer<String> sink;

  /**
   * Creates a logger.
   *
   * @param name its name
   * @param threshold the lowest level printed
   * @param sink takes each line
   */
  public LineLogger(String name, Level threshold, Consumer<String> sink) {
    this.name = name;
    this.threshold = threshold;
    this.sink = sink;
  }

  /**
   * A logger that prints nothing, for a server or client whose story {@code phx} tells itself.
   *
   * @param name its name
   * @return the logger
   */
  public static LineLogger silent(String name) {
    return new LineLogger(name, Level.OFF, line -> { });
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean isLoggable(Level level) {
    return threshold != Level.OFF && level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
    if (isLoggable(level)) {
      sink.accept(thrown == null ? message : message + ": " + thrown);
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    if (isLoggable(level)) {
      sink.accept(params == null || params.length == 0 ? format : MessageFormat.format(format, params));
    }
  }
}
