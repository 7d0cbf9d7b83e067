package io.phoenixchannels.okhttp;

import io.phoenixchannels.testing.ConnectionFailures;
import io.phoenixchannels.transport.Transport;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every connection error of the OkHttp transport names what happened, never "null". */
class OkHttpConnectionErrorsTest {
  private final OkHttpClient client = new OkHttpClient();
  private final Transport.Factory factory = OkHttpTransport.factory(client);

  @AfterEach
  void stop() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
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
