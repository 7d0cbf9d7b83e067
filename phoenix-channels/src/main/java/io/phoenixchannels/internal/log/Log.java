package io.phoenixchannels.internal.log;

import io.phoenixchannels.internal.AndroidExempt;
import java.util.function.Supplier;

/**
 * Where the library's log records go. The core logs only through this class because {@code System.Logger}, the JVM's
 * choice, does not exist on Android: there the records go to {@code java.util.logging}, which Android sends to
 * logcat. Any thread.
 */
public abstract class Log {
  /** The name the library's records are logged under unless the user gives a logger. */
  public static final String NAME = "io.phoenixchannels";

  private static final boolean SYSTEM_LOGGER_EXISTS = classExists("java.lang.System$Logger");

  /** How much a record matters; mapped onto the platform's levels. */
  public enum Level {
    DEBUG, INFO, WARNING, ERROR
  }

  Log() {}

  /**
   * The platform's logger of a name: {@code System.getLogger(name)} on the JVM, {@code java.util.logging} on Android.
   *
   * @param name the logger's name
   * @return the log
   */
  public static Log platformDefault(String name) {
    return platformDefault(name, SYSTEM_LOGGER_EXISTS);
  }

  static Log platformDefault(String name, boolean systemLoggerExists) {
    return systemLoggerExists ? SystemLoggerLog.named(name) : new JulLog(java.util.logging.Logger.getLogger(name));
  }

  /**
   * Logs to a {@code System.Logger} (JVM only).
   *
   * @param logger the logger
   * @return the log
   */
  @AndroidExempt("System.Logger exists only on the JVM; a caller holding one runs there")
  public static Log of(System.Logger logger) {
    return new SystemLoggerLog(logger);
  }

  /**
   * Logs to a {@code java.util.logging} logger (JVM and Android).
   *
   * @param logger the logger
   * @return the log
   */
  public static Log of(java.util.logging.Logger logger) {
    return new JulLog(logger);
  }

  /**
   * Tells whether records of a level are kept, so a costly message need not be built.
   *
   * @param level the level
   * @return true if records of that level are kept
   */
  public abstract boolean isLoggable(Level level);

  /**
   * Logs a record with an exception.
   *
   * @param level the level
   * @param message the message
   * @param thrown the exception, or {@code null}
   */
  public abstract void log(Level level, String message, Throwable thrown);

  /**
   * Logs a record.
   *
   * @param level the level
   * @param message the message
   */
  public final void log(Level level, String message) {
    log(level, message, null);
  }

  /**
   * Logs a record whose message is built only if the level is kept.
   *
   * @param level the level
   * @param message builds the message
   */
  public final void log(Level level, Supplier<String> message) {
    if (isLoggable(level)) {
      log(level, message.get(), null);
    }
  }

  private static boolean classExists(String name) {
    try {
      Class.forName(name, false, Log.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
