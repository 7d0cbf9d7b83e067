package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The WebSocket edges where the test server answers frame for frame as Phoenix 1.8.12 (and 1.7.24) on Bandit do,
 * as compared against the real servers: the close handshake, the frame limit, pings, and frames longer than
 * Phoenix reads.
 */
class WebSocketEdgesTest {

  @ParameterizedTest(name = "a client close {0} \"{1}\" is answered with {2} and no reason")
  @CsvSource({"1000, bye, 1000", "1001, going, 1000", "1008, policy, 1000", "4001, bye now, 1000",
      "3000, '', 1000", "1012, restart, 1002"})
  void aClientsCloseIsAnsweredAsBanditAnswersIt(int code, String reason, int answer) throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      ClientConnection connection = server.takeConnection(WireClient.WAIT);

      client.raw().sendClose(code, reason);

      RawWebSocket.Frame close = client.raw().take(WireClient.WAIT);
      assertThat(close.opcode()).isEqualTo(RawWebSocket.Frame.CLOSE);
      assertThat(close.closeCode()).isEqualTo(answer);
      assertThat(close.closeReason()).isEmpty();
      ConnectionClose closed = connection.awaitClose(WireClient.WAIT);
      assertThat(closed.code()).as("the server records the client's code").isEqualTo(code);
      assertThat(closed.byServer()).isFalse();
    }
  }

  @Test
  void aCloseWithoutACodeIsAnsweredWith1000() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.raw().sendClosePayload(new byte[0]);

      RawWebSocket.Frame close = client.raw().take(WireClient.WAIT);
      assertThat(close.opcode()).isEqualTo(RawWebSocket.Frame.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1000);
      assertThat(close.closeReason()).isEmpty();
    }
  }

  @Test
  void aMessageOverTheLimitIsClosedWith1009AndNoReason() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().maxFrameBytes(1000)).start();
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.raw().sendText("[null,\"1\",\"room:x\",\"echo\",\"" + "x".repeat(2000) + "\"]");

      RawWebSocket.Frame close = client.raw().take(WireClient.WAIT);
      assertThat(close.opcode()).isEqualTo(RawWebSocket.Frame.CLOSE);
      assertThat(close.closeCode()).isEqualTo(1009);
      assertThat(close.closeReason()).isEmpty();
    }
  }

  @Test
  void aPingIsAnsweredWithAPongCarryingItsData() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.raw().sendPing("are you there".getBytes(StandardCharsets.UTF_8));

      RawWebSocket.Frame pong = client.raw().take(WireClient.WAIT);
      assertThat(pong.opcode()).isEqualTo(RawWebSocket.Frame.PONG);
      assertThat(pong.text()).isEqualTo("are you there");
      client.expectNothingMore();
    }
  }

  @ParameterizedTest
  @EnumSource(PhoenixVersion.class)
  void elementsAfterThePayloadAreIgnored(PhoenixVersion version) throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(version);
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.raw().sendText("[null,\"10\",\"phoenix\",\"heartbeat\",{},\"extra\"]");
      client.expect("[null,'10','phoenix','phx_reply',{'response':{},'status':'ok'}]");

      client.raw().sendText("[\"1\",\"11\",\"room:x\",\"phx_join\",{\"presence\":false},\"extra\",{\"x\":[1]}]");
      client.expect("['1','11','room:x','phx_reply',{'response':{'joined':'room:x','params':{'presence':false}},"
          + "'status':'ok'}]");
      client.raw().sendText("[\"1\",\"12\",\"room:x\",\"echo\",{\"a\":1},null]");
      client.expect("['1','12','room:x','phx_reply',{'response':{'a':1},'status':'ok'}]");
    }
  }

  @Test
  void aHeartbeatIsAnsweredOkWhateverItsPayload() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.send(null, "1", "phoenix", "heartbeat", "x");
      client.expect("[null,'1','phoenix','phx_reply',{'response':{},'status':'ok'}]");
      client.raw().sendText("[null,\"2\",\"phoenix\",\"heartbeat\",null]");
      client.expect("[null,'2','phoenix','phx_reply',{'response':{},'status':'ok'}]");
      client.send(null, "3", "phoenix", "heartbeat", new int[] {1, 2});
      client.expect("[null,'3','phoenix','phx_reply',{'response':{},'status':'ok'}]");
    }
  }

  @Test
  void fewerThanFiveElementsStillCloseWith1011() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.raw().sendText("[null,\"1\",\"phoenix\",\"heartbeat\"]");
      assertThat(client.awaitClose()).isEqualTo(1011);
    }
  }

  @Test
  void whoamiIsAnUnknownEventOfThePhoenix17App() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_7);
        WireClient client = WireClient.connect(server, "user_id=ada&vsn=2.0.0")) {
      client.join("1", "room:lobby", Map.of("presence", false));
      client.send("1", "2", "room:lobby", "whoami", Map.of());

      client.expect("['1','2','room:lobby','phx_reply',{'response':{'event':'whoami','payload':{},"
          + "'reason':'unknown event'},'status':'error'}]");
    }
  }

  @Test
  void disconnectMeRepliesWithTheUserBeforeTheClose() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        WireClient client = WireClient.connect(server, "user_id=ada&vsn=2.0.0")) {
      client.join("1", "room:lobby", Map.of("presence", false));
      client.send("1", "2", "room:lobby", "disconnect_me", Map.of());

      client.expect("['1','2','room:lobby','phx_reply',{'response':{'disconnecting':'ada'},'status':'ok'}]");
      assertThat(client.awaitClose()).isEqualTo(1001);
    }
  }
}
