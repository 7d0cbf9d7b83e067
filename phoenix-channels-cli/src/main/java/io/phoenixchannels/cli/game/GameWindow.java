package io.phoenixchannels.cli.game;

import java.awt.BorderLayout;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import javax.swing.JFrame;
import javax.swing.WindowConstants;

/** One player's window: its board, repainted after every change the socket's callbacks make. */
final class GameWindow {
  private static final int GAP = 10;

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
    place(frame, index);
    frame.setVisible(true);
    panel.requestFocusInWindow();
    return frame;
  }

  /** Side by side while they fit on the screen, then in a second row, cascading if there is no room. */
  private static void place(JFrame frame, int index) {
    Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
    int columns = Math.max(1, screen.width / (frame.getWidth() + GAP));
    int rows = Math.max(1, screen.height / (frame.getHeight() + GAP));
    int column = index % columns;
    int row = (index / columns) % rows;
    int cascade = index / (columns * rows);
    frame.setLocation(screen.x + column * (frame.getWidth() + GAP) + cascade * 40,
        screen.y + row * (frame.getHeight() + GAP) + cascade * 40);
  }
}
