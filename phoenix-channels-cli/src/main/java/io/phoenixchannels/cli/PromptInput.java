package io.phoenixchannels.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive prompt: JLine line editing, history (kept in {@code ~/.phx_history}) and tab completion. Events
 * that arrive while the user types are printed above the prompt, which is redrawn below them.
 */
final class PromptInput implements CommandInput {
  private static final String PROMPT = "phx> ";

  private final Terminal terminal;
  private final LineReader reader;
  private final EventPrinter printer;
  private final Consumer<String> formerSink;

  PromptInput(Session session, EventPrinter printer) throws IOException {
    this.terminal = TerminalBuilder.builder().name("phx").system(true).build();
    this.reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("phx")
        .completer(new SessionCompleter(session))
        .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".phx_history"))
        // JSON arguments are typed as they are: no "!" history expansion inside them.
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
    this.printer = printer;
    this.formerSink = printer.redirect(reader::printAbove);
  }

  @Override
  public String readLine() {
    try {
      return reader.readLine(PROMPT);
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    printer.redirect(formerSink);
    terminal.close();
  }
}
