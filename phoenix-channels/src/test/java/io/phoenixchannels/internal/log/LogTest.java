package io.phoenixchannels.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.internal.log.Log.Level;
import io.phoenixchannels.testing.CapturedLogs;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The library's records reach System.Logger on the JVM and java.util.logging where System.Logger is missing. */
class LogTest {

  @Test
  void mapsLevelsOntoJavaUtilLoggingAndKeepsTheException() {
    try (CapturedLogs logs = CapturedLogs.of("io.phoenixchannels.test.jul")) {
      Log log = Log.of(logs.logger());
      IllegalStateException thrown = new IllegalStateException("boom");
      log.log(Level.DEBUG, "d");
      log.log(Level.INFO, "i");
      log.log(Level.WARNING, "w");
      log.log(Level.ERROR, "e", thrown);

      List<LogRecord> records = logs.records();
      assertThat(records).extracting(LogRecord::getLevel).containsExactly(java.util.logging.Level.FINE,
          java.util.logging.Level.INFO, java.util.logging.Level.WARNING, java.util.logging.Level.SEVERE);
      assertThat(records).extracting(LogRecord::getMessage).containsExactly("d", "i", "w", "e");
      assertThat(records.get(3).getThrown()).isSameAs(thrown);
    }
  }

  @Test
  void buildsNoMessageForALevelThatIsOff() {
    Logger jul = Logger.getLogger("io.phoenixchannels.test.quiet");
    jul.setUseParentHandlers(false);
    jul.setLevel(java.util.logging.Level.INFO);
    AtomicInteger built = new AtomicInteger();
    Log log = Log.of(jul);

    log.log(Level.DEBUG, () -> "debug " + built.incrementAndGet());
    log.log(Level.INFO, () -> "info " + built.incrementAndGet());

    assertThat(log.isLoggable(Level.DEBUG)).isFalse();
    assertThat(log.isLoggable(Level.INFO)).isTrue();
    assertThat(built).hasValue(1);
  }

  @Test
  void mapsLevelsOntoSystemLogger() {
    List<String> heard = new ArrayList<>();
    Log log = Log.of(new RecordingSystemLogger(heard));
    IllegalStateException thrown = new IllegalStateException("boom");
    log.log(Level.DEBUG, "d");
    log.log(Level.INFO, "i");
    log.log(Level.WARNING, "w");
    log.log(Level.ERROR, "e", thrown);

    assertThat(heard).containsExactly("DEBUG d", "INFO i", "WARNING w", "ERROR e boom");
  }

  @Test
  void fallsBackToJavaUtilLoggingWhereSystemLoggerIsMissing() {
    assertThat(Log.platformDefault("io.phoenixchannels.test.android", false)).isInstanceOf(JulLog.class);
    assertThat(Log.platformDefault("io.phoenixchannels.test.jvm", true)).isInstanceOf(SystemLoggerLog.class);
    assertThat(Log.platformDefault(Log.NAME)).as("this JVM has System.Logger").isInstanceOf(SystemLoggerLog.class);
  }

  /** Writes "LEVEL message [exception message]" for each record; every level is on. */
  private record RecordingSystemLogger(List<String> heard) implements System.Logger {
    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(System.Logger.Level level) {
      return true;
    }

    @Override
    public void log(System.Logger.Level level, ResourceBundle bundle, String message, Throwable thrown) {
      heard.add(level + " " + message + (thrown == null ? "" : " " + thrown.getMessage()));
    }

    @Override
    public void log(System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
      heard.add(level + " " + format);
    }
  }
}
