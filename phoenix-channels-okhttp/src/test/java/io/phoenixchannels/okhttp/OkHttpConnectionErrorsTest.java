package io.phoenixchannels.okhttp;

import io.phoenixchannels.testing.ConnectionErrorsContract;
import io.phoenixchannels.transport.Transport;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;

/** Every connection error of the OkHttp transport names what happened, never "null". */
class OkHttpConnectionErrorsTest extends ConnectionErrorsContract {
  private final OkHttpClient client = new OkHttpClient();

  @Override
  protected Transport.Factory factory() {
    return OkHttpTransport.factory(client);
  }

  @AfterEach
  void stop() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
