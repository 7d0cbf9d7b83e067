package io.phoenixchannels.transport;

import io.phoenixchannels.testing.ConnectionErrorsContract;
import java.net.http.HttpClient;
import org.junit.jupiter.api.Nested;

/** Every connection error of the JDK transports names what happened, never "null". */
class ConnectionErrorNamesTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Nested
  class OverTheJdkWebSocket extends ConnectionErrorsContract {
    @Override
    protected Transport.Factory factory() {
      return WebSocketTransport.factory(HTTP);
    }
  }

  @Nested
  class OverLongPoll extends ConnectionErrorsContract {
    @Override
    protected Transport.Factory factory() {
      return LongPollTransport.factory(HTTP);
    }

    @Override
    protected String scheme() {
      return "http";
    }

    @Override
    protected String secureScheme() {
      return "https";
    }

    @Override
    protected String timeoutWords() {
      return "got no answer within";
    }

    @Override
    protected String refusedWith403Words() {
      return "answered with HTTP 403";
    }
  }
}
