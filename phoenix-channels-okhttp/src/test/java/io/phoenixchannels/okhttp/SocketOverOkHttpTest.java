package io.phoenixchannels.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.SocketState;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real {@link PhoenixSocket} through the OkHttp transport, against a scripted server on MockWebServer. */
class SocketOverOkHttpTest {
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient();
  private final PhoenixServerEnd phoenix = new PhoenixServerEnd();

  /** An echo payload. */
  record Line(String body) {}

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Test
  void joinsPushesAndGetsRepliesAndBroadcasts() throws Exception {
    server.enqueue(new MockResponse.Builder().webSocketUpgrade(phoenix).build());
    List<String> shouted = new CopyOnWriteArrayList<>();
    try (PhoenixSocket socket = PhoenixSocket.builder("ws://" + server.getHostName() + ":" + server.getPort()
            + "/socket")
        .params(Map.of("user_id", "ada"))
        .transport(OkHttpTransport.factory(client))
        .build()) {
      PhoenixChannel room = socket.channel("room:lobby", Map.of("name", "Ada"));
      room.on("shouted", Line.class, line -> shouted.add(line.body()));

      var joined = room.join().toFuture(JsonNode.class);
      socket.connect();

      assertThat(joined.get(10, TimeUnit.SECONDS).get("joined").asText()).isEqualTo("room:lobby");
      assertThat(room.push("echo", new Line("hi")).toFuture(Line.class).get(10, TimeUnit.SECONDS))
          .isEqualTo(new Line("hi"));
      assertThat(room.push("binary_echo", new byte[] {1, 2, (byte) 0xff}).toFuture(byte[].class)
          .get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 0xff);
      room.push("shout", new Line("everyone")).toFuture().get(10, TimeUnit.SECONDS);
      await().atMost(RecordingListener.DEADLINE).until(() -> shouted.contains("everyone"));

      assertThat(socket.state()).isEqualTo(SocketState.OPEN);
      assertThat(server.takeRequest(10, TimeUnit.SECONDS).getUrl().encodedQuery())
          .isEqualTo("user_id=ada&vsn=2.0.0");
    }
    phoenix.awaitEvent("closing 1000 ");
    assertThat(phoenix.events).anyMatch(event -> event.contains("\"phx_leave\""));
  }
}
