package io.phoenixchannels.examples;

import static java.time.Duration.ofSeconds;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.HandleResult;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.TransportKind;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's transport choices against a server whose WebSockets are blocked: all three end up on long-poll. */
class TransportsTest {

  @Test
  void everySocketOfTheExampleWorksWhereWebSocketsAreBlocked() throws Exception {
    try (PhoenixTestServer server = PhoenixTestServer.builder()
        .channel("room:*", () -> ChannelHandler.joinAll(event -> HandleResult.ok(event.payload())))
        .start()) {
      server.faults().refuseWebSocketUpgrades(403);
      List<PhoenixSocket> sockets = Transports.sockets(server.url(), HttpClient.newHttpClient());
      for (PhoenixSocket socket : sockets) {
        try (socket) {
          socket.connect();
          PhoenixChannel room = socket.channel("room:lobby");
          room.join().toFuture().get(5, SECONDS);
          assertThat(room.push("echo", Map.of("n", 1)).toFuture().get(5, SECONDS).response().get("n").asInt())
              .isEqualTo(1);
          assertThat(server.takeConnection(ofSeconds(5)).transport()).isEqualTo(TransportKind.LONGPOLL);
        }
      }
    }
  }
}
