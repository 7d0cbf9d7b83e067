package io.phoenixchannels.cli.game;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.Presence;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The board drawn offscreen: pieces in their players' colours where Presence puts them, absent players grey. */
class BoardRendererTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Color RED = new Color(0xE6194B);
  private static final Color BLUE = new Color(0x4363D8);

  @Test
  void runsWithoutADisplay() {
    assertThat(GraphicsEnvironment.isHeadless()).isTrue();
  }

  @Test
  void drawsOnlinePiecesInTheirColourAndOfflinePiecesGrey() {
    Board board = new Board();
    board.connection(Board.Connection.ONLINE);
    board.sync(List.of(player("ada", "#e6194b", 2, 1), player("bob", "#4363d8", 5, 4)));
    BufferedImage both = BoardRenderer.image(board, "ada");
    assertThat(pixel(both, 2, 1)).isEqualTo(RED);
    assertThat(pixel(both, 5, 4)).isEqualTo(BLUE);
    assertThat(pixel(both, 0, 0)).isEqualTo(BoardRenderer.BACKGROUND);

    board.sync(List.of(player("ada", "#e6194b", 2, 1)));
    BufferedImage bobGone = BoardRenderer.image(board, "ada");
    assertThat(board.piece("bob")).hasValueSatisfying(piece -> assertThat(piece.online()).isFalse());
    assertThat(pixel(bobGone, 5, 4)).isEqualTo(BoardRenderer.OFFLINE);
    assertThat(pixel(bobGone, 2, 1)).isEqualTo(RED);

    board.sync(List.of(player("ada", "#e6194b", 3, 1), player("bob", "#4363d8", 5, 4)));
    BufferedImage bobBack = BoardRenderer.image(board, "ada");
    assertThat(pixel(bobBack, 5, 4)).isEqualTo(BLUE);
    assertThat(pixel(bobBack, 3, 1)).isEqualTo(RED);
    assertThat(pixel(bobBack, 2, 1)).isEqualTo(BoardRenderer.BACKGROUND);
  }

  @Test
  void losingTheConnectionGreysEveryPieceUntilTheNextSync() {
    Board board = new Board();
    board.connection(Board.Connection.ONLINE);
    board.sync(List.of(player("ada", "#e6194b", 2, 1), player("bob", "#4363d8", 5, 4)));
    board.connection(Board.Connection.RECONNECTING);
    assertThat(board.online()).isEmpty();
    BufferedImage offline = BoardRenderer.image(board, "ada");
    assertThat(pixel(offline, 2, 1)).isEqualTo(BoardRenderer.OFFLINE);
    assertThat(pixel(offline, 5, 4)).isEqualTo(BoardRenderer.OFFLINE);
  }

  @Test
  void theWindowsOwnPieceIsDrawnOnTopOfAnotherOnTheSameCell() {
    Board board = new Board();
    board.connection(Board.Connection.ONLINE);
    board.sync(List.of(player("zed", "#4363d8", 3, 3), player("ada", "#e6194b", 3, 3)));
    assertThat(pixel(BoardRenderer.image(board, "ada"), 3, 3)).isEqualTo(RED);
    assertThat(pixel(BoardRenderer.image(board, "zed"), 3, 3)).isEqualTo(BLUE);
  }

  @Test
  void positionsOffTheBoardAreKeptOnIt() {
    Board board = new Board();
    board.sync(List.of(player("ada", "#e6194b", 99, -3)));
    assertThat(board.piece("ada")).hasValueSatisfying(piece -> {
      assertThat(piece.x()).isEqualTo(Board.COLUMNS - 1);
      assertThat(piece.y()).isZero();
    });
  }

  /** The colour at the top of a cell's piece: the piece's fill, clear of its outline and of any text. */
  static Color pixel(BufferedImage image, int x, int y) {
    int[] centre = BoardRenderer.centreOf(x, y);
    return new Color(image.getRGB(centre[0], centre[1] - BoardRenderer.CELL / 4));
  }

  private static Presence player(String name, String colour, int x, int y) {
    JsonNode meta = MAPPER.valueToTree(Map.of("color", colour, "x", x, "y", y, "phx_ref", name + "-ref"));
    return new Presence(name, List.of(meta));
  }
}
