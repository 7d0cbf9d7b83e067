package io.phoenixchannels.testing;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything logged under a {@code java.util.logging} logger and its children, at every level, for as long as it is
 * open: where {@code System.getLogger} output goes when no other logging backend is installed, which is the client's
 * default logger. Closing it detaches the handler and restores the level. Thread-safe.
 */
public final class CapturedLogs implements AutoCloseable {
  private final Logger logger;
  private final Level previousLevel;
  private final Queue<LogRecord> records = new ConcurrentLinkedQueue<>();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private CapturedLogs(String name, Level level) {
    // Held in a field: java.util.logging keeps loggers weakly, and a collected logger forgets its level.
    this.logger = Logger.getLogger(name);
    this.previousLevel = logger.getLevel();
    handler.setLevel(level);
    logger.setLevel(level);
    logger.addHandler(handler);
  }

  /**
   * Starts capturing a logger and its children at every level (FINEST included, which DEBUG and TRACE map to).
   *
   * @param loggerName the logger's name
   * @return the capture; close it to detach
   */
  public static CapturedLogs of(String loggerName) {
    return new CapturedLogs(loggerName, Level.ALL);
  }

  /**
   * Starts capturing a logger and its children from a level up.
   *
   * @param loggerName the logger's name
   * @param level the lowest level kept
   * @return the capture; close it to detach
   */
  public static CapturedLogs of(String loggerName, Level level) {
    return new CapturedLogs(loggerName, level);
  }

  /**
   * The logger captured, to hand to the code under test.
   *
   * @return the logger
   */
  public Logger logger() {
    return logger;
  }

  /**
   * The records so far, oldest first.
   *
   * @return a copy
   */
  public List<LogRecord> records() {
    return List.copyOf(records);
  }

  /**
   * Every record as the console would print it: time, logger, level, message, and the stack trace of a throwable.
   *
   * @return the text
   */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (LogRecord record : records) {
      out.append(formatter.format(record));
    }
    return out.toString();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(previousLevel);
  }
}
