package io.phoenixchannels.examples;

import static java.time.Duration.ofSeconds;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.HandleResult;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.RecordedFrame;
import org.junit.jupiter.api.Test;

/** The README's test-server example, verbatim between the markers: application code tested against the server. */
class ChatRoomTest {

  @Test
  void sendsWhatTheUserTyped() throws Exception {
    // README:test-server:begin
    try (PhoenixTestServer server = PhoenixTestServer.builder()
            .channel("room:*", () -> ChannelHandler.joinAll(event -> HandleResult.ok()))
            .start();
        PhoenixSocket socket = PhoenixSocket.builder(server.url()).build()) {
      socket.connect();
      ChatRoom chat = new ChatRoom(socket, "lobby"); // the code under test
      chat.enter().get(5, SECONDS);
      chat.say("hello").get(5, SECONDS);

      RecordedFrame sent = server.takeConnection(ofSeconds(5)).takeInbound("new_msg", ofSeconds(5));
      assertEquals("hello", sent.payload().get("body").asText());
    }
    // README:test-server:end
  }
}
