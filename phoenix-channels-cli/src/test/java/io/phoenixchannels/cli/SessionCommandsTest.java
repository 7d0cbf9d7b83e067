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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
      // Replies may take an hour: were a command to wait for the unanswered push, the echo after it would not be
      // sent before the deadline below, which is a deadline for an event, not a measure of speed.
      SessionCommands prompt = new SessionCommands(session, printer, Duration.ofHours(1), false);
      CompletableFuture<Boolean> typed = CompletableFuture.supplyAsync(() -> {
        try {
          return prompt.execute("join room:lobby") && prompt.execute("push room:lobby noreply")
              && prompt.execute("push room:lobby echo {\"after\": \"noreply\"}");
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      await().atMost(Duration.ofSeconds(30))
          .until(() -> out.toString(StandardCharsets.UTF_8).contains("{\"after\":\"noreply\"}"));
      assertThat(typed.get(30, TimeUnit.SECONDS)).isTrue();
      assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("\"event\":\"noreply\"");
      assertThat(prompt.execute("quit")).isFalse();
    }
  }
}
