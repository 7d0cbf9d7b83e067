package io.phoenixchannels;

import static io.phoenixchannels.testing.ServerFrames.broadcast;
import static io.phoenixchannels.testing.ServerFrames.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phoenixchannels.testing.FakeTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The socket's flow control, on a manual clock and a fake transport. Frames come from another thread, as from a
 * real transport, so they wait for the loop (the application) until the test runs it.
 */
class FlowControlTest {
  private final ManualEventLoop loop = new ManualEventLoop();
  private final FakeTransport transport = new FakeTransport();
  private final List<PhoenixException> errors = new ArrayList<>();
  private final List<String> handled = new ArrayList<>();

  private PhoenixChannel joined(PhoenixSocket socket) {
    socket.onError(errors::add);
    socket.connect();
    transport.last().open();
    PhoenixChannel room = socket.channel("room:1");
    room.on("tick", message -> handled.add(message.event()));
    room.join();
    transport.last().receive(ok("1", "1", "room:1"));
    return room;
  }

  /** Delivers frames on another thread, as a transport does; they wait for the loop. */
  private void serverPushes(int count) throws Exception {
    FakeTransport.Connection connection = transport.last();
    CompletableFuture.runAsync(() -> {
      for (int i = 0; i < count; i++) {
        connection.receive(broadcast("room:1", "tick", "{\"n\":" + i + "}"));
      }
    }).get(10, TimeUnit.SECONDS);
  }

  @Test
  void readingPausesWhenTheApplicationFallsBehindByMoreThanTheWindowAndResumesAtHalf() throws Exception {
    PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport)
        .inboundWindow(4).build();
    joined(socket);
    serverPushes(4);
    assertThat(transport.last().isReadingPaused()).as("4 waiting: within the window").isFalse();
    serverPushes(1);
    assertThat(transport.last().isReadingPaused()).as("5 waiting: over it").isTrue();

    loop.runPending();
    assertThat(handled).hasSize(5);
    assertThat(transport.last().isReadingPaused()).isFalse();
    assertThat(transport.last().pauses()).isEqualTo(1);
    assertThat(transport.last().resumes()).isEqualTo(1);
  }

  @Test
  void aWindowOfZeroNeverPauses() throws Exception {
    PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport)
        .inboundWindow(0).build();
    joined(socket);
    serverPushes(5000);
    assertThat(transport.last().pauses()).isZero();
    loop.runPending();
    assertThat(handled).hasSize(5000);
  }

  @Test
  void theWindowCountsUntilTheCallbacksRanOnTheCallbackExecutor() throws Exception {
    List<Runnable> callbacks = new ArrayList<>();
    PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport)
        .inboundWindow(2).callbackExecutor(callbacks::add).build();
    joined(socket);
    runAll(callbacks);
    serverPushes(3);
    loop.runPending();
    assertThat(handled).as("the executor has not run them yet").isEmpty();
    assertThat(transport.last().isReadingPaused()).isTrue();

    runAll(callbacks);
    assertThat(handled).hasSize(3);
    assertThat(transport.last().isReadingPaused()).isFalse();
  }

  @Test
  void aTransportQueueOverTheOutboundLimitFailsThePushAndTheConnectionThenReconnects() {
    PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport)
        .maxOutboundBytes(1000).build();
    PhoenixChannel room = joined(socket);
    FakeTransport.Connection first = transport.last();
    first.queue(1001);

    CompletableFuture<Reply> push = room.push("say", Map.of("body", "hello")).toFuture();
    loop.runPending();
    assertThat(push).isDone();
    assertThat(push.getNow(null).failure()).get().isInstanceOf(ConnectionException.class)
        .extracting(Throwable::getMessage).asString().contains("maxOutboundBytes");
    assertThat(first.isAborted()).isTrue();
    assertThat(errors).anySatisfy(error -> assertThat(error).hasMessageContaining("maxOutboundBytes"));
    assertThat(socket.isConnected()).isFalse();

    loop.advance(Duration.ofSeconds(5));
    assertThat(transport.count()).as("reconnected as after any failure").isEqualTo(2);
  }

  @Test
  void aQueueWithinTheLimitChangesNothing() {
    PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport)
        .maxOutboundBytes(1000).build();
    PhoenixChannel room = joined(socket);
    transport.last().queue(1000);
    room.push("say", Map.of("body", "hello"));
    assertThat(transport.last().isAborted()).isFalse();
    assertThat(socket.isConnected()).isTrue();
  }

  @Test
  void theBuilderRefusesANegativeWindowOrANonPositiveOutboundLimit() {
    assertThatThrownBy(() -> PhoenixSocket.builder("ws://example.test/socket").inboundWindow(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inboundWindow");
    assertThatThrownBy(() -> PhoenixSocket.builder("ws://example.test/socket").maxOutboundBytes(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOutboundBytes");
  }

  private static void runAll(List<Runnable> tasks) {
    while (!tasks.isEmpty()) {
      tasks.remove(0).run();
    }
  }
}
