package io.phoenixchannels.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Commands read from standard input, one per line, with no prompt: a script, a pipe, or a test. */
final class PlainInput implements CommandInput {
  private final BufferedReader reader;

  PlainInput(InputStream in) {
    this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  @Override
  public String readLine() throws IOException {
    return reader.readLine();
  }

  /** Leaves standard input open: it belongs to the process, not to the session. */
  @Override
  public void close() {
  }
}
