package io.phoenixchannels.cli.game;

import java.awt.BorderLayout;
import javax.swing.JFrame;
import javax.swing.WindowConstants;

/** One player's window: its board, repainted after every change the socket's callbacks make. */
final class GameWindow {
  private GameWindow() {}

  /**
   * Opens a window for a player; call on the event dispatch thread.
   *
   * @param player the player
   * @param index the player's number, to place the windows side by side
   * @param onClosed runs once the window is closed
   * @return the window
   */
  static JFrame open(GamePlayer player, int index, Runnable onClosed) {
    JFrame frame = new JFrame("phx demo · " + player.name());
    BoardPanel panel = new BoardPanel(player);
    frame.getContentPane().add(panel, BorderLayout.CENTER);
    frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
    frame.addWindowListener(new java.awt.event.WindowAdapter() {
      @Override
      public void windowClosed(java.awt.event.WindowEvent event) {
        player.close();
        onClosed.run();
      }
    });
    player.onChange(panel::repaint);
    frame.pack();
    frame.setLocation(40 + index * 60, 40 + index * 60);
    frame.setVisible(true);
    panel.requestFocusInWindow();
    return frame;
  }
}
