package io.phoenixchannels.cli.game;

import java.awt.Color;

/**
 * A player's piece on the board.
 *
 * @param player the player's name, their Presence key
 * @param colour the player's colour
 * @param x the column, from 0
 * @param y the row, from 0
 * @param online whether the player is present; an absent player's piece stays where it was, greyed out
 */
public record Piece(String player, Color colour, int x, int y, boolean online) {

  /**
   * Returns the same piece, present or not.
   *
   * @param nowOnline whether the player is present
   * @return the piece
   */
  public Piece withOnline(boolean nowOnline) {
    return new Piece(player, colour, x, y, nowOnline);
  }
}
