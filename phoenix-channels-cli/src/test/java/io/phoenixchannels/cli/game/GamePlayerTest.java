package io.phoenixchannels.cli.game;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.awt.Color;
import java.awt.event.ActionEvent;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.swing.Action;
import javax.swing.JComponent;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two players of the board game against the reference app, without a display: callbacks on the Swing event
 * dispatch thread, arrow keys through the panel's key bindings, moves seen on the other board, a disconnected
 * player greyed out and back in colour on reconnect, and every player back after the server restarts.
 */
class GamePlayerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Color ADA = new Color(0xE6194B);
  private static final Color BOB = new Color(0x4363D8);

  private PhoenixTestServer server;
  private GamePlayer ada;
  private GamePlayer bob;

  @BeforeEach
  void start() {
    server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
    ada = new GamePlayer(server.url(), "ada", ADA, 1, 1, SwingUtilities::invokeLater);
    bob = new GamePlayer(server.url(), "bob", BOB, 5, 4, SwingUtilities::invokeLater);
    ada.connect();
    bob.connect();
  }

  @AfterEach
  void stop() {
    ada.close();
    bob.close();
    server.close();
  }

  @Test
  void callbacksRunOnTheEventDispatchThread() {
    AtomicBoolean onEdt = new AtomicBoolean();
    try (GamePlayer carol = new GamePlayer(server.url(), "carol", Color.ORANGE, 0, 0, SwingUtilities::invokeLater)) {
      carol.onChange(() -> onEdt.set(SwingUtilities.isEventDispatchThread()));
      carol.connect();
      await().atMost(WAIT).untilTrue(onEdt);
      awaitOnline(carol, "ada", "bob", "carol");
    }
  }

  @Test
  void theArrowKeysMoveThePieceOnEveryBoard() throws Exception {
    awaitOnline(bob, "ada", "bob");
    awaitOnline(ada, "ada", "bob");
    BoardPanel adaWindow = new BoardPanel(ada);

    press(adaWindow, "RIGHT");
    awaitAt(bob, "ada", 2, 1);
    press(adaWindow, "DOWN");
    awaitAt(bob, "ada", 2, 2);
    awaitAt(ada, "ada", 2, 2);

    BufferedImage bobsView = BoardRenderer.image(bob.board(), "bob");
    assertThat(BoardRendererTest.pixel(bobsView, 2, 2)).isEqualTo(ADA);
    assertThat(BoardRendererTest.pixel(bobsView, 1, 1)).isEqualTo(BoardRenderer.BACKGROUND);
    assertThat(BoardRendererTest.pixel(bobsView, 5, 4)).isEqualTo(BOB);
  }

  @Test
  void aDisconnectedPlayerGreysOutAndComesBackInColourWhereItWas() throws Exception {
    awaitOnline(bob, "ada", "bob");
    awaitOnline(ada, "ada", "bob");
    ada.move(1, 0);
    awaitAt(bob, "ada", 2, 1);

    ada.disconnect();
    await().atMost(WAIT).until(() -> bob.board().online().equals(java.util.Set.of("bob")));
    assertThat(BoardRendererTest.pixel(BoardRenderer.image(bob.board(), "bob"), 2, 1))
        .isEqualTo(BoardRenderer.OFFLINE);
    await().atMost(WAIT).until(() -> ada.board().connection() == Board.Connection.OFFLINE);
    assertThat(BoardRendererTest.pixel(BoardRenderer.image(ada.board(), "ada"), 2, 1))
        .isEqualTo(BoardRenderer.OFFLINE);

    ada.connect();
    awaitOnline(bob, "ada", "bob");
    assertThat(bob.board().piece("ada")).hasValueSatisfying(piece -> {
      assertThat(piece.x()).isEqualTo(2);
      assertThat(piece.y()).isEqualTo(1);
    });
    assertThat(BoardRendererTest.pixel(BoardRenderer.image(bob.board(), "bob"), 2, 1)).isEqualTo(ADA);
  }

  @Test
  void everyPlayerComesBackAfterTheServerRestarts() {
    awaitOnline(bob, "ada", "bob");
    awaitOnline(ada, "ada", "bob");
    server.restart();
    awaitOnline(ada, "ada", "bob");
    awaitOnline(bob, "ada", "bob");
    assertThat(ada.board().connected()).isTrue();
  }

  private static void awaitOnline(GamePlayer player, String... names) {
    await().atMost(WAIT).until(() -> player.board().online().equals(java.util.Set.of(names)));
  }

  private static void awaitAt(GamePlayer player, String name, int x, int y) {
    await().atMost(WAIT).until(() -> {
      Optional<Piece> piece = player.board().piece(name);
      return piece.isPresent() && piece.get().x() == x && piece.get().y() == y && piece.get().online();
    });
  }

  /** A key press as the window delivers it: the panel's binding for the key, run on the event dispatch thread. */
  private static void press(BoardPanel panel, String key) throws Exception {
    Object name = panel.getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW).get(KeyStroke.getKeyStroke(key));
    Action action = panel.getActionMap().get(name);
    assertThat(action).as("binding of " + key).isNotNull();
    SwingUtilities.invokeAndWait(() -> action.actionPerformed(new ActionEvent(panel, ActionEvent.ACTION_PERFORMED,
        key)));
  }
}
