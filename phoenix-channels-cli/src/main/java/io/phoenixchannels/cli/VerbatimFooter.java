package io.phoenixchannels.cli;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Prints a command's footer (its examples) line by line as written, never wrapped: picocli wraps long footer lines
 * at the usage width (80 columns when the output is not a terminal), which breaks a quoted argument in the middle and
 * leaves an example that cannot be copied. A line may still hold {@code %n}, as picocli's footers do.
 */
final class VerbatimFooter implements IHelpSectionRenderer {
  /** Installs this renderer on a command line and every subcommand below it. */
  static void install(CommandLine command) {
    command.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, new VerbatimFooter());
    command.getSubcommands().values().forEach(VerbatimFooter::install);
  }

  @Override
  public String render(Help help) {
    StringBuilder text = new StringBuilder();
    for (String line : help.commandSpec().usageMessage().footer()) {
      text.append(line.replace("%n", System.lineSeparator())).append(System.lineSeparator());
    }
    return text.toString();
  }
}
