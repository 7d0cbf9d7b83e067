package io.phoenixchannels.internal.log;

import java.util.logging.Logger;

/** A {@link Log} on {@code java.util.logging}, which Android routes to logcat. */
final class JulLog extends Log {
  private final Logger logger;

  JulLog(Logger logger) {
    this.logger = logger;
  }

  @Override
  public boolean isLoggable(Level level) {
    return logger.isLoggable(platform(level));
  }

  @Override
  public void log(Level level, String message, Throwable thrown) {
    if (thrown == null) {
      logger.log(platform(level), message);
    } else {
      logger.log(platform(level), message, thrown);
    }
  }

  private static java.util.logging.Level platform(Level level) {
    return switch (level) {
      case DEBUG -> java.util.logging.Level.FINE;
      case INFO -> java.util.logging.Level.INFO;
      case WARNING -> java.util.logging.Level.WARNING;
      case ERROR -> java.util.logging.Level.SEVERE;
    };
  }
}
