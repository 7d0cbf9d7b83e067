package io.phoenixchannels.netty;

import io.phoenixchannels.testing.ConnectionFailures;
import io.phoenixchannels.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every connection error of the Netty transport names what happened, never "null". */
class NettyConnectionErrorsTest {
  private final NettyEventLoops netty = NettyEventLoops.create(1);
  private final Transport.Factory factory = netty.transport();

  @AfterEach
  void stop() {
    netty.close();
  }

  @Test
  void aRefusedConnectionSaysRefused() throws Exception {
    ConnectionFailures.refused(factory, "ws");
  }

  @Test
  void anUnknownHostIsNamed() throws Exception {
    ConnectionFailures.unknownHost(factory, "ws");
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    ConnectionFailures.timedOut(factory, "ws", "timed out after");
  }

  @Test
  void aFailedTlsHandshakeSaysTls() throws Exception {
    ConnectionFailures.tls(factory, "wss");
  }

  @Test
  void aRefusedUpgradeCarriesItsStatus() throws Exception {
    ConnectionFailures.httpStatus(factory, "ws", "refused with HTTP 403");
  }
}
