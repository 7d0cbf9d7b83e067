package io.phoenixchannels.testing;

import java.util.ResourceBundle;
import java.util.function.Supplier;

/** A logger that drops everything: the tests of expected failures need not fill the build output. */
public final class SilentLogger implements System.Logger {
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
