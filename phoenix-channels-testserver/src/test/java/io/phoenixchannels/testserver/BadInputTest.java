package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile or broken clients: every bad frame closes only its own connection, with Phoenix's code and a log line,
 * and the server keeps serving everyone else.
 */
class BadInputTest {

  private static void assertClosesWith(PhoenixTestServer server, int code, ThrowingSend badFrame) throws Exception {
    try (WireClient victim = WireClient.connect(server, "vsn=2.0.0");
        WireClient bystander = WireClient.connect(server, "vsn=2.0.0")) {
      bystander.join("1", "room:ok", Map.of("presence", false));
      badFrame.send(victim.raw());
      assertThat(victim.awaitClose()).isEqualTo(code);
      bystander.send("1", "2", "room:ok", "echo", Map.of("still", "served"));
      bystander.expect("['1','2','room:ok','phx_reply',{'response':{'still':'served'},'status':'ok'}]");
    }
  }

  @FunctionalInterface
  interface ThrowingSend {
    void send(RawWebSocket socket) throws Exception;
  }

  @Test
  void malformedJsonClosesWith1011() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      assertClosesWith(server, 1011, socket -> socket.sendText("[\"1\",\"1\",\"room:x\",\"phx_join\",{"));
    }
  }

  @Test
  void aFrameOfTheWrongShapeClosesWith1011() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      assertClosesWith(server, 1011, socket -> socket.sendText("{\"topic\":\"room:x\"}"));
      assertClosesWith(server, 1011, socket -> socket.sendText("[\"1\",\"1\",42,\"phx_join\",{}]"));
      assertClosesWith(server, 1011, socket -> socket.sendText("[\"1\",\"1\"]"));
    }
  }

  @Test
  void anUnknownBinaryKindOrATruncatedBinaryFrameClosesWith1011() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      assertClosesWith(server, 1011, socket -> socket.sendBinary(new byte[] {7, 1, 2, 3}));
      assertClosesWith(server, 1011, socket -> socket.sendBinary(new byte[] {0, 9, 9, 9, 9, 'a'}));
    }
  }

  @Test
  void aBinaryFrameToAV1ClientClosesWith1011() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        WireClient v1 = WireClient.connect(server, "vsn=1.0.0")) {
      v1.raw().sendBinary(new byte[] {0, 0, 0, 1, 1, 't', 'e'});
      assertThat(v1.awaitClose()).isEqualTo(1011);
    }
  }

  @Test
  void anOversizedFrameClosesWith1009() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().maxFrameBytes(1000))
        .start()) {
      assertClosesWith(server, 1009, socket -> socket.sendText("[null,\"1\",\"room:x\",\"echo\",\"" + "x".repeat(2000)
          + "\"]"));
    }
  }

  @Test
  void textThatIsNotUtf8ClosesWith1007() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      assertClosesWith(server, 1007, socket -> socket.sendTextBytes(new byte[] {'[', (byte) 0xC3, (byte) 0x28}));
    }
  }

  @Test
  void handlersThatThrowEverywhereNeverTakeTheServerDown() throws Exception {
    try (PhoenixTestServer server = PhoenixTestServer.builder().channel("boom:*", () -> new ChannelHandler() {
      @Override
      public JoinResult join(JoinRequest join) {
        return JoinResult.ok();
      }

      @Override
      public void afterJoin(ServerChannel channel) {
        throw new IllegalStateException("afterJoin fails on purpose");
      }

      @Override
      public void terminate(ServerChannel channel, String reason) {
        throw new IllegalStateException("terminate fails on purpose");
      }
    }).channel("null:*", () -> null).start();
        WireClient client = WireClient.connect(server, "vsn=2.0.0")) {
      client.send("1", "1", "boom:1", "phx_join", Map.of());
      client.expect("['1','1','boom:1','phx_reply',{'response':{},'status':'ok'}]");
      client.expect("['1','1','boom:1','phx_error',{'reason':'channel_crash'}]");
      client.send("2", "2", "null:1", "phx_join", Map.of());
      client.expect("['2','2','null:1','phx_reply',{'response':{'reason':'join crashed'},'status':'error'}]");
      client.expectNothingMore();
    }
  }
}
