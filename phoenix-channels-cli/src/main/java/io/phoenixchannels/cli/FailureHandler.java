package io.phoenixchannels.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A command that fails says why in one line on standard error and exits with its code: a {@link CliException}
 * carries both. Anything else is a bug in {@code phx}: one line too, exit {@link ExitCode#SOFTWARE}, and the stack
 * trace only when {@code PHX_DEBUG} is set.
 */
final class FailureHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    if (ex instanceof CliException failure) {
      err.println("phx: " + failure.getMessage());
      err.flush();
      return failure.exitCode();
    }
    err.println("phx: internal error: " + ex);
    if (System.getenv("PHX_DEBUG") != null) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCode.SOFTWARE;
  }
}
