package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** At the prompt, commands return at once and replies arrive later: a push nobody answers blocks nothing. */
class SessionCommandsTest {

  @Test
  void atThePromptAPushWithoutAReplyDoesNotBlockTheNextCommand() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EventPrinter printer = EventPrinter.to(new JsonLinesFormat(), new PrintStream(out, true, StandardCharsets.UTF_8));
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        Session session = new Session(PhoenixSocket.builder(server.url()).build(), printer)) {
      session.connect(Duration.ofSeconds(10));
      SessionCommands prompt = new SessionCommands(session, printer, Duration.ofSeconds(30), false);
      assertThat(prompt.execute("join room:lobby")).isTrue();
      long started = System.nanoTime();
      assertThat(prompt.execute("push room:lobby noreply")).isTrue();
      assertThat(prompt.execute("push room:lobby echo {\"after\": \"noreply\"}")).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(10))
          .until(() -> out.toString(StandardCharsets.UTF_8).contains("{\"after\":\"noreply\"}"));
      assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("\"event\":\"noreply\"");
      assertThat(prompt.execute("quit")).isFalse();
    }
  }
}
