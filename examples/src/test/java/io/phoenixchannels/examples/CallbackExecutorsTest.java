package io.phoenixchannels.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testing.FakeTransport;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;

/** The Swing recipe of the README, headless: Swing's event dispatch thread runs without a display. */
class CallbackExecutorsTest {

  @Test
  void swingCallbacksRunOnTheEventDispatchThreadInOrder() throws Exception {
    assertThat(GraphicsEnvironment.isHeadless()).as("no display needed").isTrue();
    ManualEventLoop loop = new ManualEventLoop();
    FakeTransport transport = new FakeTransport();
    AtomicReference<JLabel> label = new AtomicReference<>();
    SwingUtilities.invokeAndWait(() -> label.set(new JLabel("starting")));
    List<String> seen = new CopyOnWriteArrayList<>();

    PhoenixSocket socket = CallbackExecutors.swing(
        PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport), label.get());
    socket.onOpen(() -> seen.add("open, on the EDT: " + SwingUtilities.isEventDispatchThread()));
    socket.onClose(close -> seen.add("close " + close.code() + ", on the EDT: "
        + SwingUtilities.isEventDispatchThread()));
    socket.connect();
    transport.last().open();
    loop.runPending();
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
    assertThat(onEdt(() -> label.get().getText())).isEqualTo("connected");

    transport.last().fail(new IOException("network gone"));
    loop.runPending();
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);

    assertThat(seen).containsExactly("open, on the EDT: true", "close 1006, on the EDT: true");
    assertThat(onEdt(() -> label.get().getText())).isEqualTo("offline (1006)");
    socket.close();
  }

  private static String onEdt(java.util.function.Supplier<String> read) throws Exception {
    AtomicReference<String> value = new AtomicReference<>();
    SwingUtilities.invokeAndWait(() -> value.set(read.get())); // also waits for the callbacks queued before
    return value.get();
  }
}
