package io.phoenixchannels.cli;

/** {@code --json}: each event as one JSON object on one line, for {@code jq} and scripts. */
final class JsonLinesFormat implements EventFormat {
  @Override
  public String format(CliEvent event) {
    return Json.compact(event);
  }
}
