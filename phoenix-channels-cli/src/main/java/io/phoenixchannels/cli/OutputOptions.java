package io.phoenixchannels.cli;

import picocli.CommandLine.Option;

/** How a command prints its events: {@code --json} lines for machines, or readable lines (coloured on a terminal). */
final class OutputOptions {
  @Option(names = "--json", description = "Print one JSON object per line for every event (for jq and scripts).")
  boolean json;

  @Option(names = "--no-color", description = "No ANSI colours, even on a terminal (NO_COLOR does the same).")
  boolean noColor;

  /** A printer to the command's standard output; {@code clock} stamps readable lines with the time of day. */
  EventPrinter printer(Streams streams, boolean clock) {
    EventFormat format = json ? new JsonLinesFormat() : new HumanFormat(streams.colour() && !noColor, clock);
    return EventPrinter.to(format, streams.out());
  }
}
