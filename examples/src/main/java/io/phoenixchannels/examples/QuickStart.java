package io.phoenixchannels.examples;

// The README's quick start is this whole file below the package line, verbatim: the build compiles it, and a test
// checks that the README still shows exactly this code. Pasted into src/main/java/QuickStart.java of an empty
// project, it runs as it is.
// README:quick-start:begin
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Presence;
import io.phoenixchannels.Reply;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Joins a room, follows who is in it, says hello to it and pushes a message that is answered. */
public class QuickStart {
  /** A chat message; Jackson reads a payload {"user": ..., "body": ...} into it, and writes it as one. */
  record ChatMessage(String user, String body) {}

  /**
   * Runs once, then disconnects.
   *
   * @param args the socket URL, by default that of phx serve
   * @throws Exception if the push is refused or not answered within 5 seconds
   */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "ws://localhost:4000/socket";
    try (PhoenixSocket socket = PhoenixSocket.builder(url)
        .params(Map.of("user_id", "ada"))
        .build()) {
      socket.onOpen(() -> System.out.println("connected"));
      socket.onClose(close -> System.out.println("closed " + close.code()));

      PhoenixChannel room = socket.channel("room:lobby", Map.of("name", "Ada"));
      room.on("broadcasted", ChatMessage.class, msg -> System.out.println(msg.user() + ": " + msg.body()));
      PhoenixPresence presence = new PhoenixPresence(room);
      presence.onJoin((key, current, joined) -> {
        if (current.metas().isEmpty()) System.out.println(key + " arrived");
      });
      presence.onSync(() -> System.out.println("online: " + presence.list(Presence::key)));
      room.join()
          .receive("ok", reply -> System.out.println("joined"))
          .receive("error", reply -> System.out.println("refused: " + reply.response()))
          .receive("failed", reply -> System.out.println("not sent: " + reply.response().get("reason")));
      socket.connect();

      room.push("broadcast", new ChatMessage("ada", "hello, room")); // to every member, this one included
      Reply reply = room.push("echo", Map.of("body", "hi")).toFuture().get(5, TimeUnit.SECONDS);
      System.out.println(reply.status() + " " + reply.response());
    }
  }
}
// README:quick-start:end
