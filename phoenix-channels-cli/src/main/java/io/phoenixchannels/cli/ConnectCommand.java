package io.phoenixchannels.cli;

import io.phoenixchannels.PhoenixSocket;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code phx connect URL}: a session on one socket. On a terminal, a prompt with history and completion, where
 * replies are printed as they arrive; otherwise (a pipe, a script) the same commands read from standard input, one
 * per line, each waiting for its outcome. Every event is printed as it happens. Quitting, the end of the input, or
 * Ctrl-C leaves the channels and disconnects.
 */
@Command(name = "connect", mixinStandardHelpOptions = true, versionProvider = PhxVersion.class,
    description = {"Open a session: join channels, push events, watch everything that happens.",
        "Commands (at the prompt, or one per line on standard input):",
        "  join TOPIC [JSON] | leave TOPIC | push TOPIC EVENT [JSON]",
        "  presence TOPIC | status | help | quit",
        "From a script (standard input not a terminal, or --json), each command waits for its outcome, every line "
            + "runs, and the exit code is that of the first command that failed: 1 an error reply to a push or "
            + "leave, 2 a refused or unanswered join or an unanswered push, 64 a line phx could not run (unknown "
            + "command, invalid JSON, a topic not joined); 0 if none failed. At the prompt, quitting exits 0."},
    footer = {"%nExample:",
        "  printf 'join room:lobby {\"name\":\"Ada\"}\\npush room:lobby echo {\"body\":\"hi\"}\\n' \\",
        "    | phx connect ws://localhost:4000/socket --json | jq -c 'select(.type==\"reply\")'"})
final class ConnectCommand implements Callable<Integer> {
  @ParentCommand
  private Phx phx;

  @Parameters(index = "0", paramLabel = "URL", description = "The socket endpoint, e.g. ws://localhost:4000/socket.")
  private String url;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "How long joins and pushes wait for a reply (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Mixin
  private ConnectionOptions connection;

  @Mixin
  private OutputOptions output;

  @Override
  public Integer call() throws Exception {
    int exitCode;
    Streams streams = phx.streams();
    EventPrinter printer = output.printer(streams, true);
    PhoenixSocket socket = connection.build(connection.builder(url).timeout(timeout));
    boolean interactive = streams.terminal() && !output.json;
    try (ClosedOnExit<Session> guarded = ClosedOnExit.of("connect", new Session(socket, printer), Session::close)) {
      Session session = guarded.get();
      session.connect(connection.connectTimeout());
      SessionCommands commands = new SessionCommands(session, printer, timeout, !interactive);
      try (CommandInput input = interactive ? new PromptInput(session, printer) : new PlainInput(streams.in())) {
        if (interactive) {
          printer.print(new CliEvent.Note("Type help for the commands; quit or Ctrl-D leaves."));
        }
        for (String line = input.readLine(); line != null; line = input.readLine()) {
          if (!commands.execute(line)) {
            break;
          }
        }
      }
      // At the prompt the user saw each outcome; a script needs the exit code to tell that a command failed.
      exitCode = interactive ? ExitCode.OK : commands.exitCode();
    }
    return exitCode;
  }
}
