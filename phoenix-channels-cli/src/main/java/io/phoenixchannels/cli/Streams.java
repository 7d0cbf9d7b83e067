package io.phoenixchannels.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a run of {@code phx} reads and writes: the process's standard streams, or a test's.
 *
 * @param in the commands of {@code phx connect} when it is not interactive
 * @param out events, replies and narration
 * @param err error messages, one line each
 * @param terminal true when a person sits at a terminal: an interactive prompt, and colour unless
 *     {@code NO_COLOR} is set
 */
public record Streams(InputStream in, PrintStream out, PrintStream err, boolean terminal) {

  /**
   * Checks the streams.
   *
   * @param in standard input
   * @param out standard output
   * @param err standard error
   * @param terminal whether a person sits at a terminal
   */
  public Streams {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
  }

  /**
   * The process's own streams, in UTF-8; a terminal when standard input and output both are one.
   *
   * @return the streams
   */
  public static Streams system() {
    return new Streams(System.in, new PrintStream(System.out, true, StandardCharsets.UTF_8),
        new PrintStream(System.err, true, StandardCharsets.UTF_8), onATerminal());
  }

  /**
   * Up to Java 21 the JVM has a console only when standard input and output are a terminal. From Java 22 it may have
   * one for redirected streams too, and {@code Console.isTerminal()} (which Java 17 lacks, hence the reflection)
   * tells them apart.
   */
  private static boolean onATerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException beforeJava22) {
      return true;
    }
  }

  /**
   * Tells whether output may be coloured: on a terminal, unless the user set {@code NO_COLOR}
   * (<a href="https://no-color.org">no-color.org</a>).
   *
   * @return true for ANSI colours
   */
  public boolean colour() {
    String noColor = System.getenv("NO_COLOR");
    return terminal && (noColor == null || noColor.isEmpty());
  }
}
