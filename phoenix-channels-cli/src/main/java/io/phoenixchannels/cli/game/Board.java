package io.phoenixchannels.cli.game;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.Presence;
import java.awt.Color;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one player's window knows of the game: every piece it has seen, where it was last, and who is online now.
 * The game channel's Presence is the truth (each player's meta holds its colour and position); a player who leaves
 * keeps its piece, greyed out, until it comes back.
 *
 * <p>Changed on one thread (the Swing event dispatch thread, through the socket's callback executor); read from
 * any: every change publishes a new immutable snapshot.
 */
public final class Board {
  /** Columns of the board. */
  public static final int COLUMNS = 12;
  /** Rows of the board. */
  public static final int ROWS = 8;

  /** The state of this window's own connection. */
  public enum Connection {
    /** Connected. */
    ONLINE,
    /** The connection was lost; the socket reconnects by itself. */
    RECONNECTING,
    /** Disconnected on purpose, or not connected yet. */
    OFFLINE
  }

  private volatile Map<String, Piece> pieces = Map.of();
  private volatile Connection connection = Connection.OFFLINE;

  /**
   * Takes the Presence list as it is now: its players are online where their metas say, everyone else seen before
   * is offline.
   *
   * @param present the Presence list of the game channel
   */
  public void sync(List<Presence> present) {
    Map<String, Piece> next = new LinkedHashMap<>();
    pieces.forEach((player, piece) -> next.put(player, piece.withOnline(false)));
    for (Presence presence : present) {
      List<JsonNode> metas = presence.metas();
      if (metas.isEmpty()) {
        continue;
      }
      JsonNode meta = metas.get(metas.size() - 1); // the newest device wins
      next.put(presence.key(), new Piece(presence.key(), colour(meta.path("color").asText()),
          clamp(meta.path("x").asInt(), COLUMNS), clamp(meta.path("y").asInt(), ROWS), true));
    }
    pieces = Map.copyOf(next);
  }

  /**
   * Records the state of this window's own connection. While it is down, nobody is known to be online: every piece
   * greys out until the next Presence sync.
   *
   * @param state the connection's state
   */
  public void connection(Connection state) {
    connection = state;
    if (state != Connection.ONLINE) {
      Map<String, Piece> next = new LinkedHashMap<>();
      pieces.forEach((player, piece) -> next.put(player, piece.withOnline(false)));
      pieces = Map.copyOf(next);
    }
  }

  /**
   * Returns the state of this window's own connection.
   *
   * @return the state
   */
  public Connection connection() {
    return connection;
  }

  /**
   * Tells whether this window's connection is up.
   *
   * @return true while connected
   */
  public boolean connected() {
    return connection == Connection.ONLINE;
  }

  /**
   * Returns a player's piece.
   *
   * @param player the player's name
   * @return the piece, if the player was ever seen
   */
  public Optional<Piece> piece(String player) {
    return Optional.ofNullable(pieces.get(player));
  }

  /**
   * Returns every piece ever seen, ordered by player name.
   *
   * @return a snapshot
   */
  public List<Piece> pieces() {
    Collection<Piece> all = pieces.values();
    return all.stream().sorted(Comparator.comparing(Piece::player)).toList();
  }

  /**
   * Returns the players online now.
   *
   * @return their names
   */
  public Set<String> online() {
    return pieces.values().stream().filter(Piece::online).map(Piece::player).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Keeps a coordinate on the board.
   *
   * @param value a column or row
   * @param size the number of columns or rows
   * @return the nearest one on the board
   */
  static int clamp(int value, int size) {
    return Math.max(0, Math.min(size - 1, value));
  }

  private static Color colour(String text) {
    try {
      return Color.decode(text);
    } catch (NumberFormatException e) {
      return Color.GRAY;
    }
  }
}
