package io.phoenixchannels.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.Message;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's console chat against the reference app of {@code phx serve}: a line typed reaches every member. */
class ConsoleChatTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private PrintStream console;
  private InputStream keyboard;

  @BeforeEach
  void captureTheConsole() {
    console = System.out;
    keyboard = System.in;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreTheConsole() {
    System.setOut(console);
    System.setIn(keyboard);
  }

  @Test
  void aLineTypedReachesEveryMemberOfTheRoomTheWriterIncluded() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        PhoenixSocket bob = PhoenixSocket.builder(server.url()).params(Map.of("user_id", "bob")).build()) {
      BlockingQueue<Message> heard = new LinkedBlockingQueue<>();
      PhoenixChannel room = bob.channel("room:lobby", Map.of("name", "Bob"));
      room.on("broadcasted", heard::add);
      room.join();
      bob.connect();

      PipedOutputStream typing = new PipedOutputStream();
      System.setIn(new PipedInputStream(typing));
      CompletableFuture<Void> chat = CompletableFuture.runAsync(() -> {
        try {
          ConsoleChat.main(new String[] {server.url(), "ada"});
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      typing.write("hello, bob\n".getBytes(StandardCharsets.UTF_8));
      typing.flush();

      Message message = heard.poll(10, TimeUnit.SECONDS);
      assertThat(message).as("bob heard ada").isNotNull();
      assertThat(message.payload().get("user").asText()).isEqualTo("ada");
      assertThat(message.payload().get("body").asText()).isEqualTo("hello, bob");
      await().atMost(Duration.ofSeconds(10))
          .until(() -> printed.toString(StandardCharsets.UTF_8).contains("ada: hello, bob"));
      typing.close(); // Ctrl-D
      chat.get(10, TimeUnit.SECONDS);
    }
  }
}
