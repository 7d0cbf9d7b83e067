package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server close is a handshake whatever its code: the server keeps the connection until the client answers, so
 * the client reads the code instead of losing the close frame to a reset while it still writes.
 */
class CloseHandshakeTest {

  @ParameterizedTest
  @ValueSource(ints = {1000, 1001, 1008, 1011, 1012, 4000})
  void aServerCloseWaitsForTheClientsAnswer(int code) throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        SilentClient client = SilentClient.connect(server.port())) {
      await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections().size() == 1);
      ClientConnection connection = server.openConnections().get(0);

      connection.close(code, "bye");
      assertThat(client.readCloseFrame()).isEqualTo(code);
      assertThat(connection.isOpen()).as("open until the client answers").isTrue();

      client.answerClose(code);
      ConnectionClose close = connection.awaitClose(Duration.ofSeconds(5));
      assertThat(close.code()).isEqualTo(code);
      assertThat(close.byServer()).isTrue();
      assertThat(client.readsEndOfStream()).as("the server ends the TCP connection after the handshake").isTrue();
    }
  }
}
