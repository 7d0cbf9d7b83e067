package io.phoenixchannels.cli.game;

import java.awt.Dimension;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.event.ActionEvent;
import javax.swing.AbstractAction;
import javax.swing.JComponent;
import javax.swing.KeyStroke;

/**
 * The board of one player's window: it paints the player's {@link Board} and turns the arrow keys into moves and
 * the D key into a disconnect or reconnect.
 */
public final class BoardPanel extends JComponent {
  private static final long serialVersionUID = 1L;

  private final transient GamePlayer player;

  /**
   * Creates the panel and binds its keys.
   *
   * @param player the window's player
   */
  public BoardPanel(GamePlayer player) {
    this.player = player;
    setPreferredSize(BoardRenderer.size());
    setFocusable(true);
    bind("LEFT", "move-left", () -> player.move(-1, 0));
    bind("RIGHT", "move-right", () -> player.move(1, 0));
    bind("UP", "move-up", () -> player.move(0, -1));
    bind("DOWN", "move-down", () -> player.move(0, 1));
    bind("D", "toggle-connection", player::toggleConnection);
  }

  @Override
  public Dimension getPreferredSize() {
    return BoardRenderer.size();
  }

  @Override
  protected void paintComponent(Graphics graphics) {
    BoardRenderer.render((Graphics2D) graphics, player.board(), player.name());
  }

  private void bind(String key, String name, Runnable action) {
    getInputMap(WHEN_IN_FOCUSED_WINDOW).put(KeyStroke.getKeyStroke(key), name);
    getActionMap().put(name, new AbstractAction(name) {
      private static final long serialVersionUID = 1L;

      @Override
      public void actionPerformed(ActionEvent event) {
        action.run();
      }
    });
  }
}
