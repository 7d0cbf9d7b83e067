package io.phoenixchannels.transport;

import io.phoenixchannels.testing.ConnectionFailures;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every connection error of the JDK transports names what happened, never "null". */
class ConnectionErrorNamesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Nested
  class OverTheJdkWebSocket {
    private final Transport.Factory factory = WebSocketTransport.factory(HTTP);

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

  @Nested
  class OverLongPoll {
    private final Transport.Factory factory = LongPollTransport.factory(HTTP);

    @Test
    void aRefusedConnectionSaysRefused() throws Exception {
      ConnectionFailures.refused(factory, "http");
    }

    @Test
    void anUnknownHostIsNamed() throws Exception {
      ConnectionFailures.unknownHost(factory, "http");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
      ConnectionFailures.timedOut(factory, "http", "got no answer within");
    }

    @Test
    void aFailedTlsHandshakeSaysTls() throws Exception {
      ConnectionFailures.tls(factory, "https");
    }

    @Test
    void aRefusedConnectCarriesItsStatus() throws Exception {
      ConnectionFailures.httpStatus(factory, "http", "answered with HTTP 403");
    }
  }
}
