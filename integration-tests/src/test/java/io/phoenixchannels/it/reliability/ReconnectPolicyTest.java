package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.it.FaultProxy;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testing.SilentLogger;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The reconnect policy's jitter and maximum number of attempts, on the manual clock and over real sockets. */
class ReconnectPolicyTest {

  /**
   * 200 sockets on one {@link ManualEventLoop}, each against a server that refuses every connection, with delays
   * of 100, 200, then 400 ms, jitter 0.5 and at most 8 attempts: every delay the manual clock measures lies within
   * base × (1 ± 0.5), the delays spread over that range, each socket makes exactly 1 + 8 attempts and then
   * reports that it gave up, and nothing more happens in the hour after.
   */
  @Test
  void jitterStaysWithinItsBoundsSpreadsTheDelaysAndTheAttemptsStopAtTheMaximum() {
    ScenarioFigures figures = new ScenarioFigures("1f-reconnect-jitter-manual-clock",
        "Reconnect policy: jitter ±50 %, max 8 attempts (200 sockets, manual clock)").unit("connect attempts")
        .manualClock().notApplicable("acknowledged");
    ManualEventLoop loop = new ManualEventLoop();
    ReconnectPolicy policy = ReconnectPolicy.builder()
        .delays(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400))
        .jitter(0.5).maxAttempts(8).build();
    List<RefusingServer> servers = new ArrayList<>();
    List<List<PhoenixException>> errors = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      RefusingServer server = new RefusingServer(loop);
      List<PhoenixException> heard = new ArrayList<>();
      PhoenixSocket socket = PhoenixSocket.builder("ws://127.0.0.1:9/socket").eventLoop(loop).transport(server)
          .reconnectPolicy(policy).logger(new SilentLogger()).build();
      socket.onError(heard::add);
      socket.connect();
      servers.add(server);
      errors.add(heard);
    }
    loop.advance(Duration.ofHours(1));

    List<Double> ratios = new ArrayList<>();
    long attempts = 0;
    for (RefusingServer server : servers) {
      List<Duration> opens = server.openedAt;
      attempts += opens.size();
      assertThat(opens).as("the first attempt and 8 reconnects").hasSize(9);
      for (int k = 1; k < opens.size(); k++) {
        long base = k == 1 ? 100 : k == 2 ? 200 : 400;
        // Each refusal arrives 1 ms after its attempt; the reconnect delay runs from there.
        Duration delay = opens.get(k).minus(opens.get(k - 1)).minus(RefusingServer.REFUSAL_LATENCY);
        double ratio = delay.toNanos() / (base * 1e6);
        assertThat(ratio).as("delay / base before attempt %d", k).isBetween(0.5 - 1e-6, 1.5 + 1e-6);
        ratios.add(ratio);
      }
    }
    for (List<PhoenixException> heard : errors) {
      assertThat(heard).hasSize(10);
      assertThat(heard.get(9).getMessage()).contains("gave up after 8 attempts");
    }
    double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    double mean = ratios.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertThat(min).as("the shortest delay / base").isBetween(0.5 - 1e-6, 0.6);
    assertThat(max).as("the longest delay / base").isBetween(1.4, 1.5 + 1e-6);
    assertThat(mean).as("the mean delay / base").isBetween(0.95, 1.05);
    assertThat(loop.pendingTimers()).as("nothing left scheduled after giving up").isZero();

    figures.operations(attempts).failed(attempts).lost(0).duplicated(0)
        .note(String.format("delay/base over %d delays: min %.3f, mean %.3f, max %.3f (bounds 0.5-1.5); "
            + "every socket stopped after 1 + 8 attempts and said so", ratios.size(), min, mean, max))
        .write();
  }

  /**
   * A real socket against a server that answers every upgrade with 503, through a proxy that counts TCP
   * connections: with at most 4 attempts, exactly 1 + 4 connections reach the proxy, each refusal is reported with
   * its status, the socket reports that it gave up, and no further connection comes.
   */
  @Test
  void overRealSocketsTheSocketStopsAfterItsMaximumAttempts() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("1f-reconnect-max-attempts",
        "Reconnect policy: server refuses (503), max 4 attempts, real sockets").unit("connect attempts")
        .notApplicable("acknowledged");
    try (PhoenixTestServer server = PhoenixTestServer.builder().recordFrames(false).start();
        FaultProxy proxy = new FaultProxy(server.port());
        PhoenixSocket socket = PhoenixSocket.builder("ws://127.0.0.1:" + proxy.port() + "/socket")
            .logger(new SilentLogger())
            .reconnectPolicy(ReconnectPolicy.builder().delays(Duration.ofMillis(20), Duration.ofMillis(40))
                .jitter(0.5).maxAttempts(4).build())
            .build()) {
      server.faults().refuseConnections(503);
      Queue<PhoenixException> errors = new ConcurrentLinkedQueue<>();
      Queue<CloseEvent> closes = new ConcurrentLinkedQueue<>();
      socket.onError(errors::add);
      socket.onClose(closes::add);
      socket.connect();
      await().atMost(Duration.ofSeconds(5)).until(() -> errors.stream()
          .anyMatch(error -> error.getMessage().contains("gave up")));
      // Nothing more may come: the count holds for a while after giving up.
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
          .until(() -> proxy.acceptedConnections() == 5);

      List<Integer> statuses = errors.stream().filter(ConnectionException.class::isInstance)
          .map(error -> ((ConnectionException) error).httpStatus().orElse(-1)).toList();
      assertThat(statuses).as("five refusals, then the give-up (which carries the last status)")
          .containsExactly(503, 503, 503, 503, 503, 503);
      assertThat(errors.stream().filter(error -> error.getMessage().contains("gave up after 4 attempts")))
          .hasSize(1);
      assertThat(closes).hasSize(5).allMatch(close -> close.httpStatus().orElse(-1) == 503);
      assertThat(socket.isConnected()).isFalse();

      figures.operations(proxy.acceptedConnections()).failed(closes.size()).lost(5 - closes.size())
          .duplicated(proxy.acceptedConnections() - 5)
          .note("5 TCP connections (1 + 4 attempts), 5 refusals reported, then one give-up; none after").write();
    }
  }

  /** A transport factory whose server refuses every connection with HTTP 503, 1 ms after the attempt. */
  private static final class RefusingServer implements Transport.Factory {
    static final Duration REFUSAL_LATENCY = Duration.ofMillis(1);

    final ManualEventLoop loop;
    final List<Duration> openedAt = new ArrayList<>();

    RefusingServer(ManualEventLoop loop) {
      this.loop = loop;
    }

    @Override
    public Transport open(TransportRequest request, Transport.Listener listener) {
      openedAt.add(loop.elapsed());
      loop.schedule(() -> {
        listener.onError(new ConnectionException("refused with HTTP 503", 503, null));
        listener.onClose(CloseEvent.ABNORMAL, "");
      }, REFUSAL_LATENCY);
      return new Transport() {
        @Override
        public void sendText(String text) {
          throw new AssertionError("nothing is sent on a refused connection");
        }

        @Override
        public void sendBinary(ByteBuffer data) {
          throw new AssertionError("nothing is sent on a refused connection");
        }

        @Override
        public void close(int code, String reason) {}

        @Override
        public void abort() {}
      };
    }
  }
}
