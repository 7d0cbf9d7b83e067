package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ChannelState;
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.Reply;
import io.phoenixchannels.testing.ScenarioFigures;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server starts a 100 MB text frame; the client's inbound limit is 1 MiB. The client stops reading at the limit:
 * it aborts the connection, reports a {@link ProtocolException} and a 1009 close, and reconnects; the server could
 * write only about the limit plus what the loopback's socket buffers hold before the connection died, so the client
 * never received (let alone buffered) the 100 MB. The channel rejoins and a push works afterwards.
 */
class OversizedFrameTest {
  private static final int LIMIT = 1024 * 1024;
  private static final long HUGE = 100_000_000L;
  /** The limit plus generous room for the kernel's send and receive buffers on loopback. */
  private static final long MOST_THE_SERVER_CAN_WRITE = LIMIT + 24L * 1024 * 1024;

  @Test
  void a100MegabyteFrameIsStoppedAtTheLimitWith1009AndTheClientReconnects() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("5d-oversized-frame",
        "Server sends a 100 MB frame; client limit 1 MiB");
    Queue<PhoenixException> errors = new ConcurrentLinkedQueue<>();
    Queue<CloseEvent> closes = new ConcurrentLinkedQueue<>();
    PushLedger ledger = new PushLedger();
    try (RawPhoenixServer server = new RawPhoenixServer();
        PhoenixSocket socket = Sockets.fast(server.url()).maxInboundFrameBytes(LIMIT).build()) {
      socket.onError(errors::add);
      socket.onClose(closes::add);
      PhoenixChannel room = socket.channel("room:big");
      room.join();
      socket.connect();
      await().atMost(Duration.ofSeconds(5)).until(() -> room.state() == ChannelState.JOINED);
      push(room, ledger);
      RawPhoenixServer.Connection first = server.lastConnection();

      long startedAt = System.nanoTime();
      CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> first.streamHugeTextFrame(HUGE));
      long bytesWritten = written.get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> !closes.isEmpty());
      CloseEvent close = closes.peek();
      long recoveryStart = System.nanoTime();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 2
          && room.state() == ChannelState.JOINED);
      Duration recovery = Duration.ofNanos(System.nanoTime() - recoveryStart);
      push(room, ledger);

      assertThat(close.code()).isEqualTo(CloseEvent.MESSAGE_TOO_BIG);
      assertThat(close.requested()).isFalse();
      assertThat(close.cause()).isInstanceOf(ProtocolException.class);
      assertThat(close.cause().getMessage()).contains("over the limit of " + LIMIT).contains("1009");
      assertThat(errors).anyMatch(error -> error instanceof ProtocolException);
      assertThat(bytesWritten).as("bytes of the 100 MB frame the server got out before the client cut it off")
          .isLessThan(MOST_THE_SERVER_CAN_WRITE);
      assertThat(ledger.acknowledged()).isEqualTo(2);

      ledger.addTo(figures, ledger.awaitSettled(Duration.ofSeconds(2)));
      figures.recovery(Duration.ofNanos(recoveryStart - startedAt).plus(recovery))
          .note(String.format("the server got %.1f MB of 100 MB out before the client aborted at its 1 MiB limit "
              + "(close 1009, ProtocolException); reconnected and rejoined", bytesWritten / 1e6))
          .write();
    }
  }

  private static void push(PhoenixChannel room, PushLedger ledger) throws Exception {
    long id = ledger.nextId();
    var push = room.push("echo", Map.of("id", id));
    ledger.track(id, push);
    Reply reply = push.toFuture().get(5, TimeUnit.SECONDS);
    assertThat(reply.response().get("id").asLong()).isEqualTo(id);
  }
}
