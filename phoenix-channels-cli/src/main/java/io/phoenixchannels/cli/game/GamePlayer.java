package io.phoenixchannels.cli.game;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import java.awt.Color;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * One player of the board game: a socket whose callbacks run on the Swing event dispatch thread
 * ({@code callbackExecutor(SwingUtilities::invokeLater)}, the threading contract for UI code), the game channel
 * joined as this player, and its Presence driving the {@link Board}. Moves go to the server as {@code move}
 * pushes; the server's Presence diff moves the piece on every board, this one included.
 */
public final class GamePlayer implements AutoCloseable {
  /** The channel every player joins. */
  public static final String TOPIC = "game:board";

  private final String name;
  private final String colour;
  private final int startX;
  private final int startY;
  private final Board board = new Board();
  private final PhoenixSocket socket;
  private final PhoenixChannel game;
  private volatile Runnable onChange = () -> { };

  /**
   * Creates a player, not connected yet.
   *
   * @param url the socket endpoint
   * @param name the player's name: its Presence key
   * @param colour its colour
   * @param startX the column it starts in
   * @param startY the row it starts in
   * @param callbacks where the socket's callbacks run: {@code SwingUtilities::invokeLater} in the game
   */
  public GamePlayer(String url, String name, Color colour, int startX, int startY, Executor callbacks) {
    this.name = Objects.requireNonNull(name, "name");
    this.colour = String.format("#%06x", colour.getRGB() & 0xFFFFFF);
    this.startX = startX;
    this.startY = startY;
    this.socket = PhoenixSocket.builder(url)
        .params(Map.of("user_id", name))
        .callbackExecutor(callbacks)
        .logger(System.getLogger("io.phoenixchannels.game"))
        .build();
    // Read again for every rejoin: a player who comes back comes back where it was.
    this.game = socket.channel(TOPIC, this::joinParams);
    PhoenixPresence presence = new PhoenixPresence(game);
    presence.onSync(() -> changed(() -> board.sync(presence.list())));
    socket.onOpen(() -> changed(() -> board.connection(Board.Connection.ONLINE)));
    socket.onClose(close -> changed(() -> board.connection(close.requested() ? Board.Connection.OFFLINE
        : Board.Connection.RECONNECTING)));
    game.join();
  }

  /** Connects (again, after {@link #disconnect()}); the channel joins, or rejoins, once connected. */
  public void connect() {
    socket.connect();
  }

  /** Disconnects on purpose: the other players see this piece grey out until {@link #connect()}. */
  public void disconnect() {
    socket.disconnect();
  }

  /** Connects if disconnected, disconnects if connected: the window's D key. */
  public void toggleConnection() {
    if (socket.isConnected()) {
      disconnect();
    } else {
      connect();
    }
  }

  /**
   * Moves this player's piece by one step, if it is on the board and the channel is joined; the server answers and
   * tells every player through Presence.
   *
   * @param dx -1, 0 or 1 column
   * @param dy -1, 0 or 1 row
   */
  public void move(int dx, int dy) {
    if (!game.canPush()) {
      return;
    }
    board.piece(name).ifPresent(piece -> game.push("move", Map.of(
        "x", Board.clamp(piece.x() + dx, Board.COLUMNS), "y", Board.clamp(piece.y() + dy, Board.ROWS))));
  }

  /**
   * Sets what to do after each change of the board, such as repainting; runs on the callback executor.
   *
   * @param listener the listener
   */
  public void onChange(Runnable listener) {
    this.onChange = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Returns the player's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Returns what this player's window shows.
   *
   * @return the board
   */
  public Board board() {
    return board;
  }

  /** Leaves the game and closes the socket. */
  @Override
  public void close() {
    socket.close();
  }

  private Map<String, Object> joinParams() {
    int x = board.piece(name).map(Piece::x).orElse(startX);
    int y = board.piece(name).map(Piece::y).orElse(startY);
    return Map.of("player", name, "color", colour, "x", x, "y", y);
  }

  private void changed(Runnable change) {
    change.run();
    onChange.run();
  }
}
