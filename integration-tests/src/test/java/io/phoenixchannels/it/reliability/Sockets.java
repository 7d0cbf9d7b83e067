package io.phoenixchannels.it.reliability;

import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.RejoinPolicy;
import java.time.Duration;

/** Sockets with fast reconnects, rejoins and timeouts, so that a scenario's faults resolve in well under a second. */
final class Sockets {
  static final Duration PUSH_TIMEOUT = Duration.ofSeconds(2);

  private Sockets() {}

  /** Reconnects after 10, 20, 50, then every 100 ms; rejoins after 50, 100, then every 200 ms; 2 s timeouts. */
  static PhoenixSocket.Builder fast(String url) {
    return PhoenixSocket.builder(url)
        .timeout(PUSH_TIMEOUT)
        .connectTimeout(Duration.ofSeconds(2))
        .reconnectPolicy(ReconnectPolicy.builder().delays(ms(10), ms(20), ms(50), ms(100)).build())
        .rejoinPolicy(RejoinPolicy.builder().delays(ms(50), ms(100), ms(200)).build());
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
