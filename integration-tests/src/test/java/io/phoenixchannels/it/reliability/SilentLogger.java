package io.phoenixchannels.it.reliability;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/** A logger that drops everything, for scenarios whose expected warnings (hundreds of give-ups) would flood the build. */
final class SilentLogger implements System.Logger {
  @Override
  public String getName() {
    return "silent";
  }

  @Override
  public boolean isLoggable(Level level) {
    return false;
  }

  @Override
  public void log(Level level, Supplier<String> message) {}

  @Override
  public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {}

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {}
}
