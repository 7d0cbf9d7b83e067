package io.phoenixchannels.examples;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Reply;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A piece of application code that talks to a Phoenix server: the kind of class the README's test-server example
 * tests. Its methods may be called from any thread; the futures complete on the socket's callback executor.
 */
public final class ChatRoom {
  private final PhoenixChannel channel;

  /**
   * Creates the room's channel on a socket.
   *
   * @param socket the socket
   * @param name the room, joined as topic {@code room:<name>}
   */
  public ChatRoom(PhoenixSocket socket, String name) {
    this.channel = socket.channel("room:" + name);
  }

  /**
   * Joins the room.
   *
   * @return the join's first outcome
   */
  public CompletableFuture<Reply> enter() {
    return channel.join().toFuture();
  }

  /**
   * Sends a message to the room as {@code new_msg} {@code {"body": text}}.
   *
   * @param text what the user typed
   * @return the server's reply
   */
  public CompletableFuture<Reply> say(String text) {
    return channel.push("new_msg", Map.of("body", text)).toFuture();
  }
}
