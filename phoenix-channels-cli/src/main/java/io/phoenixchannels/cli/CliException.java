package io.phoenixchannels.cli;

/**
 * Ends a command with a message for the user (one line on standard error, no stack trace) and an
 * {@link ExitCode}.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Bad input: exit {@link ExitCode#USAGE}. */
  static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }

  /** Not reachable, refused or not answered: exit {@link ExitCode#UNAVAILABLE}. */
  static CliException unavailable(String message) {
    return new CliException(ExitCode.UNAVAILABLE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
