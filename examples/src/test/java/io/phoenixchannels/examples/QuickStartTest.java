package io.phoenixchannels.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The README's quick start against the reference app that {@code phx serve} runs (the app behind the conformance
 * traces, so the same holds against real Phoenix): the message it broadcasts comes back to it, and the echo is
 * answered.
 */
class QuickStartTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private PrintStream console;

  @BeforeEach
  void captureTheConsole() {
    console = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreTheConsole() {
    System.setOut(console);
  }

  @ParameterizedTest
  @EnumSource(PhoenixVersion.class)
  void printsTheRoomsMessageAndTheReply(PhoenixVersion version) throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(version)) {
      QuickStart.main(new String[] {server.url()});
    }
    // The close is reported on the socket's own thread, possibly after main returned: the lines before it are not.
    assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList()).startsWith("connected", "joined")
        .contains("ada arrived", "online: [ada]")
        .containsSubsequence("joined", "ada: hello, room", "ok {\"body\":\"hi\"}");
  }
}
