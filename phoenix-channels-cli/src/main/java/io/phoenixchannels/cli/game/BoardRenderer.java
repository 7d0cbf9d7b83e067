package io.phoenixchannels.cli.game;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Draws a board: the grid, each piece in its player's colour (grey while the player is offline, ringed when it is
 * the window's own), the players on the right, and the connection state at the bottom. Pure drawing on any
 * {@link Graphics2D}, so the game is tested offscreen, without a display.
 */
public final class BoardRenderer {
  /** The side of a cell, in pixels. */
  public static final int CELL = 48;
  /** The colour of an offline player's piece. */
  public static final Color OFFLINE = new Color(0xB4, 0xB4, 0xB4);
  /** The board's background. */
  public static final Color BACKGROUND = Color.WHITE;

  private static final int LEGEND_WIDTH = 180;
  private static final int STATUS_HEIGHT = 28;
  private static final int INSET = 6;
  private static final Color GRID = new Color(0xE0, 0xE0, 0xE0);
  private static final Color PANEL = new Color(0xF5, 0xF5, 0xF5);

  private BoardRenderer() {}

  /**
   * Returns the size a board is drawn at.
   *
   * @return the size in pixels
   */
  public static Dimension size() {
    return new Dimension(Board.COLUMNS * CELL + LEGEND_WIDTH, Board.ROWS * CELL + STATUS_HEIGHT);
  }

  /**
   * Returns the pixel at the centre of a cell, in the coordinates {@link #render} draws in.
   *
   * @param x the column
   * @param y the row
   * @return {x, y} in pixels
   */
  public static int[] centreOf(int x, int y) {
    return new int[] {x * CELL + CELL / 2, y * CELL + CELL / 2};
  }

  /**
   * Draws a board into a new image.
   *
   * @param board what to draw
   * @param self the window's own player, ringed
   * @return the image, of {@link #size()}
   */
  public static BufferedImage image(Board board, String self) {
    Dimension size = size();
    BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      render(g, board, self);
    } finally {
      g.dispose();
    }
    return image;
  }

  /**
   * Draws a board.
   *
   * @param g where to draw, from (0, 0) over {@link #size()}
   * @param board what to draw
   * @param self the window's own player, ringed
   */
  public static void render(Graphics2D g, Board board, String self) {
    Dimension size = size();
    int boardWidth = Board.COLUMNS * CELL;
    int boardHeight = Board.ROWS * CELL;
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(BACKGROUND);
    g.fillRect(0, 0, size.width, size.height);

    g.setColor(GRID);
    for (int column = 0; column <= Board.COLUMNS; column++) {
      g.drawLine(column * CELL, 0, column * CELL, boardHeight);
    }
    for (int row = 0; row <= Board.ROWS; row++) {
      g.drawLine(0, row * CELL, boardWidth, row * CELL);
    }

    // The window's own piece last, so that it stays visible on a shared cell.
    List<Piece> drawOrder = new ArrayList<>(board.pieces());
    drawOrder.sort(Comparator.comparing(piece -> piece.player().equals(self)));
    for (Piece piece : drawOrder) {
      int left = piece.x() * CELL + INSET;
      int top = piece.y() * CELL + INSET;
      int diameter = CELL - 2 * INSET;
      g.setColor(piece.online() ? piece.colour() : OFFLINE);
      g.fillOval(left, top, diameter, diameter);
      if (piece.player().equals(self)) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(3f));
        g.drawOval(left, top, diameter, diameter);
      }
    }

    g.setColor(PANEL);
    g.fillRect(boardWidth + 1, 0, LEGEND_WIDTH, boardHeight);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.setColor(Color.DARK_GRAY);
    g.drawString("Players", boardWidth + 14, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int line = 0;
    for (Piece piece : board.pieces()) {
      int baseline = 52 + line++ * 24;
      g.setColor(piece.online() ? piece.colour() : OFFLINE);
      g.fillRect(boardWidth + 14, baseline - 12, 14, 14);
      g.setColor(piece.online() ? Color.BLACK : Color.GRAY);
      g.drawString(piece.player() + (piece.player().equals(self) ? " (you)" : "")
          + (piece.online() ? "" : " · offline"), boardWidth + 36, baseline);
    }

    g.setColor(board.connected() ? new Color(0xDD, 0xF4, 0xDD) : new Color(0xFB, 0xE3, 0xC8));
    g.fillRect(0, boardHeight, size.width, STATUS_HEIGHT);
    g.setColor(Color.BLACK);
    String state = switch (board.connection()) {
      case ONLINE -> "online · arrow keys move, D disconnects";
      case RECONNECTING -> "connection lost · reconnecting by itself";
      case OFFLINE -> "offline · D reconnects";
    };
    g.drawString(self + " · " + state, 10, boardHeight + 19);
  }
}
