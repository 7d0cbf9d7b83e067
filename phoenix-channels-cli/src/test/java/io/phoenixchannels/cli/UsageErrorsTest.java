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
  void invalidJsonArgumentsAreUsageErrors() throws Exception {
    PhxRunner.run("push", "ws://127.0.0.1:1/socket", "room:a", "echo", "{bad")
        .assertOneErrorLine(ExitCode.USAGE, "invalid JSON '{bad'");
    PhxRunner.run("listen", "ws://127.0.0.1:1/socket", "room:a", "--join-params", "[1,")
        .assertOneErrorLine(ExitCode.USAGE, "invalid JSON '[1,'");
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
        "64", "130");
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
  void completionPrintsAScriptForEveryCommand() throws Exception {
    PhxRunner.Result result = PhxRunner.run("completion");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("complete -F", "connect", "listen", "push", "serve", "demo", "--json");
  }
}
