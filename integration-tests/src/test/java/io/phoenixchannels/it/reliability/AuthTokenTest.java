package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ChannelState;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.ConnectDecision;
import io.phoenixchannels.testserver.ConnectRequest;
import io.phoenixchannels.testserver.HandleResult;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.transport.WebSocketTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The auth token end to end, against the test server as Phoenix 1.8: the server's connect handler sees it, it is not
 * in the URL (nor in any header but the subprotocol Phoenix reads it from), and the supplier is asked again for
 * every connect, so the reconnect after a cut carries the new token.
 */
class AuthTokenTest {
  private static final List<String> TOKENS = List.of("token-first-A1b2C3", "token-second-D4e5F6");

  @Test
  void theServerSeesTheTokenOutsideTheUrlAndTheReconnectCarriesTheSuppliersNewOne() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("5b-auth-token", "Auth token end to end, re-read on reconnect")
        .unit("connections");
    for (String token : TOKENS) {
      assertThat(WebSocketTransport.authTokenSubprotocol(token)).as("a token the JDK transport can send")
          .doesNotContain("/");
    }
    Queue<ConnectRequest> requests = new ConcurrentLinkedQueue<>();
    AtomicInteger asked = new AtomicInteger();
    try (PhoenixTestServer server = PhoenixTestServer.builder()
            .connectHandler(request -> {
              requests.add(request);
              return request.authToken().filter(TOKENS::contains).isPresent()
                  ? ConnectDecision.accept("user:" + request.authToken().get()) : ConnectDecision.refuse();
            })
            .channel("room:*", () -> ChannelHandler.joinAll(event -> HandleResult.ok())).start();
        PhoenixSocket socket = Sockets.fast(server.url()).params(Map.of("user_id", "ada"))
            .authToken(() -> TOKENS.get(Math.min(asked.getAndIncrement(), TOKENS.size() - 1))).build()) {
      PhoenixChannel room = socket.channel("room:auth");
      room.join();
      socket.connect();
      await().atMost(Duration.ofSeconds(5)).until(() -> room.state() == ChannelState.JOINED);
      ClientConnection first = server.connections().get(0);
      first.cut();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 2
          && server.connections().get(1).joinedTopics().contains("room:auth"));
      ClientConnection second = server.connections().get(1);

      assertThat(first.request().authToken()).contains(TOKENS.get(0));
      assertThat(second.request().authToken()).as("the supplier's new token on reconnect").contains(TOKENS.get(1));
      assertThat(asked.get()).as("the supplier is asked once per connect").isEqualTo(2);
      assertThat(first.socketId()).contains("user:" + TOKENS.get(0));
      for (ConnectRequest request : requests) {
        String token = request.authToken().orElseThrow();
        assertThat(request.params().toString()).as("the URL's params").doesNotContain(token)
            .contains("ada");
        request.headers().forEach((name, values) -> {
          if (!name.equals("sec-websocket-protocol")) {
            assertThat(values.toString()).as("header %s", name).doesNotContain(token);
          }
        });
        assertThat(String.join(",", request.headers().get("sec-websocket-protocol")))
            .contains("phoenix").contains(WebSocketTransport.authTokenSubprotocol(token));
      }
      figures.operations(requests.size()).acknowledged(requests.size()).lost(0).duplicated(0)
          .note("the server read token 1 on the first connection and the supplier's token 2 on the reconnect; "
              + "neither in the URL or any other header")
          .write();
    }
  }
}
