package io.phoenixchannels.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Bad command lines: one line on standard error that says what is wrong and where help is, then exit
 * {@link ExitCode#USAGE}. picocli's default would print the whole usage text and exit 2, which {@code phx} keeps for
 * "unavailable".
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("phx: " + describe(ex) + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return ExitCode.USAGE;
  }

  private static String describe(ParameterException ex) {
    if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String first = unmatched.getUnmatched().get(0);
      boolean atTop = unmatched.getCommandLine().getParent() == null;
      if (atTop && !first.startsWith("-")) {
        return "unknown command '" + first + "'";
      }
      return (first.startsWith("-") ? "unknown option '" : "unexpected argument '") + first + "'";
    }
    if (ex.getCause() instanceof TypeConversionException conversion && ex.getArgSpec() != null) {
      // picocli would say "Invalid value for positional parameter at index 3 (PAYLOAD): ..."; the user typed PAYLOAD.
      return name(ex.getArgSpec()) + ": " + conversion.getMessage();
    }
    String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** An option by its longest name, a positional parameter by its label as the usage line shows it. */
  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }
}
