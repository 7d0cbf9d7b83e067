package io.phoenixchannels.examples;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Presence;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** Who is in the room: the list printed again after every change, with how many devices each user is on. */
public final class PresenceList {
  private PresenceList() {}

  /**
   * Follows the room until the process is stopped.
   *
   * @param args the socket URL (default {@code ws://localhost:4000/socket}) and a name (default the user's)
   * @throws InterruptedException if interrupted while following
   */
  public static void main(String[] args) throws InterruptedException {
    String url = args.length > 0 ? args[0] : "ws://localhost:4000/socket";
    String name = args.length > 1 ? args[1] : System.getProperty("user.name");
    // README:presence-list:begin
    try (PhoenixSocket socket = PhoenixSocket.builder(url).params(Map.of("user_id", name)).build()) {
      PhoenixChannel room = socket.channel("room:lobby", Map.of("name", name));
      PhoenixPresence presence = new PhoenixPresence(room);
      presence.onSync(() -> {
        System.out.println("online now:");
        for (Presence user : presence.list()) {
          System.out.println("  " + user.key() + " on " + user.metas().size() + " device(s)");
        }
      });
      presence.onLeave((key, current, left) -> {
        if (current.metas().isEmpty()) System.out.println(key + " left");
      });
      room.join();
      socket.connect();
      new CountDownLatch(1).await(); // until the process is stopped
    }
    // README:presence-list:end
  }
}
