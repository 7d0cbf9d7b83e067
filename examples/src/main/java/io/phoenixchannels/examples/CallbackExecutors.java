package io.phoenixchannels.examples;

import io.phoenixchannels.FrameQueueExecutor;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import java.util.function.BooleanSupplier;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;

/** Callbacks on the threads a user already has: Swing's event dispatch thread, a game loop. */
public final class CallbackExecutors {
  private CallbackExecutors() {}

  /**
   * Builds a socket whose callbacks run on Swing's event dispatch thread, where they may touch components.
   *
   * @param builder the socket's builder, with the URL and any other option
   * @param status a label that shows the connection state
   * @return the socket, not connected yet
   */
  public static PhoenixSocket swing(PhoenixSocket.Builder builder, JLabel status) {
    // README:swing:begin
    PhoenixSocket socket = builder
        .callbackExecutor(SwingUtilities::invokeLater)
        .build();
    socket.onOpen(() -> status.setText("connected")); // on the event dispatch thread
    socket.onClose(close -> status.setText("offline (" + close.code() + ")"));
    // README:swing:end
    return socket;
  }

  /**
   * A game loop that takes its socket callbacks once per frame, on its own thread, Godot {@code _process} style.
   *
   * @param url the socket URL
   * @param running tells whether to go on with the next frame
   * @param world the game state that the callbacks change
   */
  public static void gameLoop(String url, BooleanSupplier running, World world) {
    // README:frame-queue:begin
    FrameQueueExecutor callbacks = new FrameQueueExecutor();
    try (PhoenixSocket socket = PhoenixSocket.builder(url).callbackExecutor(callbacks).build()) {
      PhoenixChannel game = socket.channel("game:1");
      game.on("tick", Tick.class, world::apply); // runs inside drain(), on the game loop's thread
      game.join();
      socket.connect();
      while (running.getAsBoolean()) {
        callbacks.drain(); // this frame's socket callbacks
        world.update();
        world.render();
      }
    }
    // README:frame-queue:end
  }

  /**
   * A tick of the game server.
   *
   * @param i its number
   */
  public record Tick(int i) {}

  /** What a game loop updates and renders. */
  public interface World {
    /**
     * Applies a server tick.
     *
     * @param tick the tick
     */
    void apply(Tick tick);

    /** Advances the simulation by one frame. */
    void update();

    /** Draws the frame. */
    void render();
  }
}
