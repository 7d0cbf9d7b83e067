package io.phoenixchannels.internal.log;

import io.phoenixchannels.internal.AndroidExempt;

/** A {@link Log} on a {@code System.Logger}; loaded only where that type exists (the JVM, not Android). */
@AndroidExempt("loaded only when System.Logger exists")
final class SystemLoggerLog extends Log {
  private final System.Logger logger;

  SystemLoggerLog(System.Logger logger) {
    this.logger = logger;
  }

  static Log named(String name) {
    return new SystemLoggerLog(System.getLogger(name));
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

  private static System.Logger.Level platform(Level level) {
    return switch (level) {
      case DEBUG -> System.Logger.Level.DEBUG;
      case INFO -> System.Logger.Level.INFO;
      case WARNING -> System.Logger.Level.WARNING;
      case ERROR -> System.Logger.Level.ERROR;
    };
  }
}
