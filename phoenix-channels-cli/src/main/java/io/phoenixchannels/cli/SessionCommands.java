package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The commands of a {@code phx connect} session, typed at the prompt or read from standard input one per line.
 * A JSON argument is the rest of the line, so it may hold spaces and needs no quoting. Blank lines and lines
 * starting with {@code #} are skipped. A bad line is reported as an error event and the session goes on.
 *
 * <p>From a script, a join, push or leave waits for its outcome (at most its timeout) before the next line is read,
 * so it runs in order: a push right after a join goes to the joined channel, and the output follows the script.
 * Every line runs, and {@link #exitCode()} is then the code of the first command that failed, so that a script
 * can tell (see {@link ExitCode}). At the prompt, commands return at once and their replies are printed when they
 * arrive, so a push that is never answered does not block the next command. Messages and presence changes are
 * printed whenever they arrive.
 */
final class SessionCommands {
  /** The command words, for completion and help. */
  static final List<String> NAMES = List.of("join", "leave", "push", "presence", "status", "help", "quit");

  private static final List<String> HELP = List.of(
      "join TOPIC [JSON]         join a channel, with optional join params",
      "leave TOPIC               leave a channel",
      "push TOPIC EVENT [JSON]   push an event (payload {} by default) and print the reply",
      "presence TOPIC            list who is present on a joined channel",
      "status                    the connection and every channel's state",
      "help                      this list",
      "quit                      leave every channel, disconnect and exit (also Ctrl-D)");

  private final Session session;
  private final EventPrinter printer;
  private final Duration timeout;
  private final boolean inOrder;
  private int firstFailure = ExitCode.OK;

  /**
   * @param timeout how long joins and pushes wait for their replies
   * @param inOrder wait for each outcome before returning (a script), or not (the prompt)
   */
  SessionCommands(Session session, EventPrinter printer, Duration timeout, boolean inOrder) {
    this.session = session;
    this.printer = printer;
    this.timeout = timeout;
    this.inOrder = inOrder;
  }

  /**
   * Runs one line.
   *
   * @return false when the line asks to quit
   */
  boolean execute(String line) throws InterruptedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty() || trimmed.startsWith("#")) {
      return true;
    }
    String[] words = trimmed.split("\\s+", 2);
    String command = words[0].toLowerCase(Locale.ROOT);
    String rest = words.length > 1 ? words[1] : "";
    try {
      switch (command) {
        case "join" -> {
          String[] args = arguments(rest, 1, "join TOPIC [JSON]");
          await(session.join(args[0], json(args[1], "the join params"), timeout), true);
        }
        case "leave" -> await(session.leave(single(rest, "leave TOPIC")), false);
        case "push" -> {
          String[] args = arguments(rest, 2, "push TOPIC EVENT [JSON]");
          JsonNode payload = json(args[2], "the payload");
          await(session.push(args[0], args[1], payload == null ? Json.MAPPER.createObjectNode() : payload,
              timeout), false);
        }
        case "presence" -> printer.print(session.presence(single(rest, "presence TOPIC")));
        case "status" -> printer.print(session.status());
        case "help", "?" -> HELP.forEach(text -> printer.print(new CliEvent.Note(text)));
        case "quit", "exit" -> {
          return false;
        }
        default -> {
          printer.print(new CliEvent.Error("unknown command '" + words[0] + "' (try: help)"));
          failed(ExitCode.USAGE);
        }
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      printer.print(new CliEvent.Error(e.getMessage()));
      failed(ExitCode.USAGE);
    }
    return true;
  }

  /**
   * The exit code of a script: that of the first command that failed, or {@link ExitCode#OK}. A refused or
   * unanswered join and an unanswered push are {@link ExitCode#UNAVAILABLE}, an error reply to a push or a leave is
   * {@link ExitCode#ERROR}, a line that could not run (unknown command, invalid JSON, a topic not joined) is
   * {@link ExitCode#USAGE}. At the prompt, where outcomes are not awaited, only lines that could not run count.
   */
  int exitCode() {
    return firstFailure;
  }

  /**
   * In order, waits for an outcome, which the session prints, and notes a failure; the push's own timeout ends the
   * wait, the margin is a guard.
   */
  private void await(CompletableFuture<Reply> outcome, boolean join) throws InterruptedException {
    if (!inOrder) {
      return;
    }
    Reply reply;
    try {
      reply = outcome.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      printer.print(new CliEvent.Error("no outcome within " + (timeout.toMillis() + 1000) + " ms"));
      failed(ExitCode.UNAVAILABLE);
      return;
    } catch (ExecutionException e) {
      printer.print(new CliEvent.Error("the command failed: " + e.getCause().getMessage()));
      failed(ExitCode.UNAVAILABLE);
      return;
    }
    if (reply.isOk()) {
      return;
    }
    boolean answered = Reply.ERROR.equals(reply.status());
    failed(join || !answered ? ExitCode.UNAVAILABLE : ExitCode.ERROR);
  }

  private void failed(int code) {
    if (firstFailure == ExitCode.OK) {
      firstFailure = code;
    }
  }

  /** {@code count} words, then the rest of the line (possibly {@code null}) as the last element. */
  private static String[] arguments(String rest, int count, String usage) {
    String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+", count + 1);
    if (words.length < count) {
      throw new IllegalArgumentException("usage: " + usage);
    }
    String[] result = new String[count + 1];
    System.arraycopy(words, 0, result, 0, words.length);
    return result;
  }

  private static String single(String rest, String usage) {
    String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+");
    if (words.length != 1) {
      throw new IllegalArgumentException("usage: " + usage);
    }
    return words[0];
  }

  private static JsonNode json(String text, String what) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
  }
}
