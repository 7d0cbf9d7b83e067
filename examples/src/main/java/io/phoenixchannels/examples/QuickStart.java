package io.phoenixchannels.examples;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Presence;
import io.phoenixchannels.Reply;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The README's quick start, verbatim between the markers: the build compiles it, and a test checks that the
 * README still shows exactly this code.
 */
public final class QuickStart {
  private QuickStart() {}

  /**
   * Connects to a Phoenix server, joins a room, follows who is in it, listens for messages and pushes one.
   *
   * @param args unused
   * @throws Exception if the push fails or times out
   */
  public static void main(String[] args) throws Exception {
    // README:quick-start:begin
    try (PhoenixSocket socket = PhoenixSocket.builder("ws://localhost:4000/socket")
        .params(Map.of("user_id", "ada"))
        .build()) {
      socket.onOpen(() -> System.out.println("connected"));
      socket.onClose(close -> System.out.println("closed " + close.code()));

      PhoenixChannel room = socket.channel("room:lobby", Map.of("name", "Ada"));
      room.on("new_msg", ChatMessage.class, msg -> System.out.println(msg.body()));
      PhoenixPresence presence = new PhoenixPresence(room);
      presence.onJoin((key, current, joined) -> {
        if (current.metas().isEmpty()) System.out.println(key + " arrived");
      });
      presence.onSync(() -> System.out.println("online: " + presence.list(Presence::key)));
      room.join()
          .receive("ok", reply -> System.out.println("joined"))
          .receive("error", reply -> System.out.println("refused: " + reply.response()));
      socket.connect();

      Reply reply = room.push("echo", Map.of("body", "hi")).toFuture().get(5, TimeUnit.SECONDS);
      System.out.println(reply.status() + " " + reply.response());
    }
    // README:quick-start:end
  }
}
