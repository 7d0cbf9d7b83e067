package io.phoenixchannels.cli;

/**
 * The exit codes of {@code phx}, which scripts may rely on. Usage errors follow the BSD {@code sysexits}
 * convention ({@code EX_USAGE}), an internal failure is {@code EX_SOFTWARE}, and an interrupt is 128 + SIGINT as
 * shells report it.
 */
public final class ExitCode {
  /** Done: the push got an ok reply, the demo ran to its end, the session was quit. */
  public static final int OK = 0;
  /** An error: an error reply to the push, a channel the server closed, a demo step that did not complete. */
  public static final int ERROR = 1;
  /**
   * Nothing to answer: the server could not be reached or refused the connection, refused or did not answer the
   * join, or did not answer the push in time; {@code serve} could not listen on its port.
   */
  public static final int UNAVAILABLE = 2;
  /** Bad input: an unknown command or option, a malformed URL, an invalid JSON argument. */
  public static final int USAGE = 64;
  /** A failure inside phx itself: a bug to report. */
  public static final int SOFTWARE = 70;
  /** Interrupted (Ctrl-C) while listening or serving. */
  public static final int INTERRUPTED = 130;

  private ExitCode() {}
}
