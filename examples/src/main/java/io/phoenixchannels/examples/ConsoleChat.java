package io.phoenixchannels.examples;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Chat on the console: every line typed goes to the room, every message of the room is printed. Run it twice
 * against {@code phx serve}, whose {@code room:*} channel broadcasts what a member pushes as {@code broadcast} to
 * every member as {@code broadcasted}.
 */
public final class ConsoleChat {
  private ConsoleChat() {}

  /**
   * Chats until the console closes (Ctrl-D).
   *
   * @param args the socket URL (default {@code ws://localhost:4000/socket}) and a name (default the user's)
   * @throws Exception if the console cannot be read
   */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "ws://localhost:4000/socket";
    String name = args.length > 1 ? args[1] : System.getProperty("user.name");
    // README:console-chat:begin
    try (PhoenixSocket socket = PhoenixSocket.builder(url).params(Map.of("user_id", name)).build();
        BufferedReader console = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      PhoenixChannel room = socket.channel("room:lobby", Map.of("name", name));
      room.on("broadcasted", ChatMessage.class, msg -> System.out.println(msg.user() + ": " + msg.body()));
      room.join()
          .receive("error", reply -> System.out.println("cannot join: " + reply.response()))
          .receive("failed", reply -> System.out.println("join not sent: " + reply.response().get("reason")));
      socket.connect();

      for (String line = console.readLine(); line != null; line = console.readLine()) {
        room.push("broadcast", new ChatMessage(name, line))
            .receive("error", reply -> System.out.println("refused: " + reply.response()))
            .receive("failed", reply -> System.out.println("not sent: " + reply.response().get("reason")))
            .receive("timeout", () -> System.out.println("not sent: no answer"));
      }
    }
    // README:console-chat:end
  }
}
