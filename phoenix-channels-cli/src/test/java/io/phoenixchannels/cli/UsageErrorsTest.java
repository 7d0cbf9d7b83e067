package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad input gets one clear line on standard error and exit code 64, never a stack trace; help and version work. */
class UsageErrorsTest {

  @Test
  void anUnknownCommandIsNamed() throws Exception {
    PhxRunner.run("frobnicate").assertOneErrorLine(ExitCode.USAGE, "unknown command 'frobnicate'");
  }

  @Test
  void anUnknownOptionIsNamed() throws Exception {
    PhxRunner.run("push", "ws://127.0.0.1:1/socket", "room:a", "echo", "--frob")
        .assertOneErrorLine(ExitCode.USAGE, "unknown option '--frob'");
  }

  @Test
  void aBadUrlIsAUsageError() throws Exception {
    PhxRunner.run("push", "nope://example", "room:a", "echo")
        .assertOneErrorLine(ExitCode.USAGE, "unsupported scheme");
    PhxRunner.run("listen", "not a url", "room:a").assertOneErrorLine(ExitCode.USAGE, "socket URL");
    PhxRunner.run("demo", "--url", "ws://").assertOneErrorLine(ExitCode.USAGE, "socket URL");
  }

  @Test
  void invalidJsonArgumentsAreUsageErrorsInJsonsTerms() throws Exception {
    PhxRunner.run("push", "ws://127.0.0.1:1/socket", "room:a", "echo", "{bad")
        .assertOneErrorLine(ExitCode.USAGE, "phx: PAYLOAD: not valid JSON: expected a key in double quotes, found "
            + "'b', at column 2 in '{bad' (see 'phx push --help')");
    PhxRunner.run("listen", "ws://127.0.0.1:1/socket", "room:a", "--join-params", "[1,")
        .assertOneErrorLine(ExitCode.USAGE, "phx: --join-params: not valid JSON: it ends before the value is "
            + "complete (a missing }, ] or closing \"?), at column 4 in '[1,'");
    PhxRunner.run("bench", "ws://127.0.0.1:1/socket", "--payload", "hello")
        .assertOneErrorLine(ExitCode.USAGE, "--payload: not valid JSON: 'hello' is not a JSON value (text needs "
            + "double quotes: \"hello\"), at column 1 in 'hello'");
    PhxRunner.run("push", "ws://127.0.0.1:1/socket", "room:a", "echo", " ")
        .assertOneErrorLine(ExitCode.USAGE, "PAYLOAD: empty; give a JSON value, e.g. {} or {\"body\":\"hi\"}");
  }

  @Test
  void jsonThatWouldLoseWhatWasTypedIsRefused() throws Exception {
    PhxRunner.run("push", "ws://127.0.0.1:1/socket", "room:a", "echo", "{\"a\":1} {\"b\":2}")
        .assertOneErrorLine(ExitCode.USAGE, "not valid JSON: there is more after the value (one value only; "
            + "several go in [...]), at column 9 in '{\"a\":1} {\"b\":2}'");
    PhxRunner.run("push", "ws://127.0.0.1:1/socket", "room:a", "echo", "{\"a\":1,\"a\":2}")
        .assertOneErrorLine(ExitCode.USAGE, "not valid JSON: the key \"a\" appears twice");
  }

  @Test
  void aJsonErrorStaysOnOneLineAndNamesNoParserInternals() throws Exception {
    PhxRunner.Result result = PhxRunner.run("push", "ws://127.0.0.1:1/socket", "room:a", "echo", "{\"a\":\"x\ny\"}");
    result.assertOneErrorLine(ExitCode.USAGE, "a line break inside a string must be escaped (\\n, \\t, \\uXXXX), "
        + "at line 1, column 8 in '{\"a\":\"x\\ny\"}'");
    assertThat(result.err()).doesNotContain("Source:", "REDACTED", "StreamReadFeature", "code 10");
  }

  @Test
  void badOptionValuesAreUsageErrors() throws Exception {
    PhxRunner.run("push", "ws://127.0.0.1:1/socket", "room:a", "echo", "--timeout", "soon")
        .assertOneErrorLine(ExitCode.USAGE, "'soon' is not a duration");
    PhxRunner.run("push", "ws://127.0.0.1:1/socket", "room:a", "echo", "--vsn", "3")
        .assertOneErrorLine(ExitCode.USAGE, "--vsn must be 1 or 2");
    PhxRunner.run("serve", "--phoenix", "1.6").assertOneErrorLine(ExitCode.USAGE, "--phoenix must be 1.7 or 1.8");
    PhxRunner.run("listen", "ws://127.0.0.1:1/socket", "room:a", "--count", "0")
        .assertOneErrorLine(ExitCode.USAGE, "--count must be positive");
    PhxRunner.run("push", "ws://127.0.0.1:1/socket").assertOneErrorLine(ExitCode.USAGE, "Missing required");
  }

  @Test
  void noCommandPrintsTheUsageAndFails() throws Exception {
    PhxRunner.Result result = PhxRunner.run();
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(result.err()).contains("Usage: phx", "connect", "listen", "push", "serve", "demo")
        .contains("phx: missing a command");
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() throws Exception {
    PhxRunner.Result result = PhxRunner.run("--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("connect", "listen", "push", "serve", "demo", "completion", "Exit codes:",
        "64", "70", "130");
    assertThat(PhxRunner.run("help", "push").out()).contains("--timeout", "--json", "--param", "--token",
        "--header", "--vsn", "--longpoll");
  }

  @Test
  void versionNamesTheBuild() throws Exception {
    PhxRunner.Result result = PhxRunner.run("--version");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("phx ").doesNotContain("unknown version").doesNotContain("${");
  }

  @Test
  void helpExamplesAreNeverWrappedEvenWhenPiped() throws Exception {
    // Not a terminal: picocli's width is 80 columns, and these lines are longer.
    assertThat(PhxRunner.run("connect", "--help").out()).contains(
        "  printf 'join room:lobby {\"name\":\"Ada\"}\\npush room:lobby echo {\"body\":\"hi\"}\\n' \\\n",
        "    | phx connect ws://localhost:4000/socket --json | jq -c 'select(.type==\"reply\")'\n");
    assertThat(PhxRunner.run("listen", "--help").out()).contains("  phx listen ws://localhost:4000/socket room:lobby "
        + "--join-params '{\"name\":\"Ada\"}' --json | jq .\n");
    assertThat(PhxRunner.run("help", "bench").out()).contains("  phx bench ws://localhost:4000/socket --sockets 1000 "
        + "--rate 2000 --duration 30s --ramp-up 5s --warmup 5s\n");
  }

  @Test
  void completionHelpNamesTheCommandAsTyped() throws Exception {
    PhxRunner.Result result = PhxRunner.run("completion", "--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("Usage: phx completion").doesNotContain("generate-completion");
  }

  @Test
  void completionPrintsAScriptForEveryCommand() throws Exception {
    PhxRunner.Result result = PhxRunner.run("completion");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("complete -F", "connect", "listen", "push", "serve", "demo", "--json");
  }
}
