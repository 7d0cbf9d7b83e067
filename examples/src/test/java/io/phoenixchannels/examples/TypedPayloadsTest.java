package io.phoenixchannels.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.ServerFrames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The typed-payload example of the README, against a scripted server on a manual loop. */
class TypedPayloadsTest {
  private final ManualEventLoop loop = new ManualEventLoop();
  private final FakeTransport transport = new FakeTransport();
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

  private String lastRef(String event) {
    List<JsonNode> frames = transport.last().sentWithEvent(event);
    return frames.get(frames.size() - 1).get(1).asText();
  }

  @Test
  void printsThePostsIdOrWhyItWasRefused() {
    try (PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop)
        .transport(transport).build()) {
      socket.connect();
      transport.last().open();

      CompletableFuture<Void> accepted = TypedPayloads.post(socket);
      transport.last().receive(ServerFrames.ok("1", lastRef("phx_join"), "room:lobby"));
      transport.last().receive(ServerFrames.reply("1", lastRef("post"), "room:lobby", "ok", "{\"id\":7}"));
      assertThat(accepted).isCompleted();

      CompletableFuture<Void> refused = TypedPayloads.post(socket);
      String joinRef = lastRef("phx_join");
      transport.last().receive(ServerFrames.ok(joinRef, joinRef, "room:lobby"));
      transport.last().receive(ServerFrames.reply(joinRef, lastRef("post"), "room:lobby", "error",
          "{\"reason\":\"slow down\"}"));
      assertThat(refused).isCompleted();
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("posted #7", "refused: slow down");
  }
}
