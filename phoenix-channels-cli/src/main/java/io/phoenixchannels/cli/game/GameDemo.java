package io.phoenixchannels.cli.game;

import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.ReferenceApp;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.swing.SwingUtilities;

/**
 * {@code phx demo --gui}: the multiplayer board game. It starts the reference app in-process (or uses a given
 * server that implements its {@code game:*} channel), and opens one window per player; arrow keys move a piece, D
 * disconnects and reconnects. It returns once every window is closed.
 */
public final class GameDemo {
  /** The most players the game has names and colours for. */
  public static final int MAX_PLAYERS = 6;

  private static final String[] NAMES = {"ada", "grace", "linus", "margaret", "alan", "barbara"};
  private static final Color[] COLOURS = {new Color(0xE6194B), new Color(0x3CB44B), new Color(0x4363D8),
      new Color(0xF58231), new Color(0x911EB4), new Color(0x42D4F4)};

  private GameDemo() {}

  /**
   * Plays until every window is closed.
   *
   * @param url the server, or {@code null} for the embedded reference app
   * @param players how many windows, 1 to {@link #MAX_PLAYERS}
   * @throws InterruptedException if interrupted while the windows are open
   */
  public static void run(String url, int players) throws InterruptedException {
    PhoenixTestServer server = url == null ? ReferenceApp.configure(PhoenixTestServer.builder()
        .recordFrames(false).logger(System.getLogger("io.phoenixchannels.game.server"))).start() : null;
    String endpoint = server != null ? server.url() : url;
    CountDownLatch closed = new CountDownLatch(players);
    List<GamePlayer> all = new ArrayList<>();
    try {
      for (int i = 0; i < players; i++) {
        GamePlayer player = new GamePlayer(endpoint, NAMES[i], COLOURS[i], 1 + 2 * i, 1 + i, SwingUtilities::invokeLater);
        all.add(player);
        int index = i;
        SwingUtilities.invokeLater(() -> GameWindow.open(player, index, closed::countDown));
        player.connect();
      }
      closed.await();
    } finally {
      all.forEach(GamePlayer::close);
      if (server != null) {
        server.close();
      }
    }
  }
}
