package io.phoenixchannels.cli;

import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * {@code phx}, the command-line client for Phoenix Channels: {@code connect} for an interactive (or scripted)
 * session, {@code listen} and {@code push} for one-shot use in scripts, {@code serve} for the reference server,
 * {@code demo} for a narrated tour of the library.
 *
 * <p>{@link #main} runs it as a process; {@link #run(Streams, String...)} runs it on given streams and returns the
 * exit code, as the tests do. A new command is a class annotated with {@link Command} added to the
 * {@code subcommands} below.
 */
@Command(name = "phx", mixinStandardHelpOptions = true, versionProvider = PhxVersion.class,
    description = "The command-line client for Phoenix Channels.",
    subcommands = {ConnectCommand.class, ListenCommand.class, PushCommand.class, BenchCommand.class,
        ServeCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:ok: an ok reply, a session quit, the demo completed",
        "1:an error reply, or a channel the server closed",
        "2:unreachable, refused or unanswered: the connect, the join, or the push (timeout)",
        "64:usage: unknown command or option, bad URL, invalid JSON argument",
        "70:internal error in phx",
        "130:interrupted (Ctrl-C)"},
    footer = {"%nExamples:",
        "  phx demo",
        "  phx serve --port 4000",
        "  phx connect ws://localhost:4000/socket --param user_id=ada",
        "  phx listen ws://localhost:4000/socket room:lobby --json | jq .",
        "  phx push ws://localhost:4000/socket room:lobby echo '{\"body\":\"hi\"}'",
        "  phx bench ws://localhost:4000/socket --sockets 1000 --rate 2000 --duration 30s"})
public final class Phx implements Runnable {
  private final Streams streams;

  @Spec
  private CommandLine.Model.CommandSpec spec;

  /**
   * Creates the root command.
   *
   * @param streams where the run reads and writes
   */
  Phx(Streams streams) {
    this.streams = streams;
  }

  /**
   * Runs {@code phx} as a process and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(Streams.system(), args));
  }

  /**
   * Runs {@code phx} on the given streams.
   *
   * @param streams standard input, output and error, and whether they are a terminal
   * @param args the command line
   * @return the exit code, see {@link ExitCode}
   */
  public static int run(Streams streams, String... args) {
    return commandLine(streams).execute(args);
  }

  /** The configured picocli command line; exposed to the tests of the completion script. */
  static CommandLine commandLine(Streams streams) {
    CommandLine cli = new CommandLine(new Phx(streams));
    AutoComplete.GenerateCompletion completion = new AutoComplete.GenerateCompletion();
    cli.addSubcommand("completion", completion);
    // picocli's command calls itself generate-completion; phx registers it as completion, and its help says so.
    cli.getSubcommands().get("completion").getCommandSpec().name("completion").usageMessage().hidden(false)
        .description("Print a bash/zsh completion script for phx: source <(phx completion)");
    cli.setOut(new PrintWriter(streams.out(), true));
    cli.setErr(new PrintWriter(streams.err(), true));
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.setUsageHelpAutoWidth(true);
    VerbatimFooter.install(cli);
    return cli;
  }

  /** The streams of this run, for the subcommands. */
  Streams streams() {
    return streams;
  }

  /** {@code phx} alone: the usage on standard error, and a usage exit code. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw CliException.usage("missing a command");
  }
}
