package io.phoenixchannels.cli;

/** Turns an event into the text printed for it: a JSON line, or a readable line. */
interface EventFormat {
  /**
   * Formats one event.
   *
   * @param event the event
   * @return its text, without a final line break (it may span lines)
   */
  String format(CliEvent event);
}
