package io.phoenixchannels.cli;

import java.io.IOException;

/** Where a {@code phx connect} session reads its commands: a prompt on a terminal, or standard input. */
interface CommandInput extends AutoCloseable {
  /**
   * Reads the next command line.
   *
   * @return the line, or {@code null} at the end of the input (Ctrl-D, Ctrl-C at the prompt, end of a script)
   * @throws IOException if reading fails
   */
  String readLine() throws IOException;

  @Override
  void close() throws IOException;
}
