package io.phoenixchannels.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.testserver.PhoenixVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Whether the suite runs against real Phoenix: the one place that says why it does not. Without the Maven profile
 * {@code real-phoenix}, or without the servers' folder (a user's clone has none), this test is skipped with the
 * reason and the scenarios list only the test server; with {@code -Dphoenix.real.required=true} (as in
 * {@code .ci/run}) a missing folder or a server that does not start fails it instead.
 */
class RealPhoenixServersTest {

  @Test
  void bothRealServersStartAndAnswerTheirHealthCheck() throws Exception {
    Optional<String> unavailable = RealPhoenix.enabled() ? RealPhoenix.unavailable()
        : Optional.of("the real-Phoenix runs are off (they run with -Preal-phoenix, which .ci/run enables)");
    if (unavailable.isPresent()) {
      if (RealPhoenix.required()) {
        throw new AssertionError(unavailable.get() + ", and -D" + RealPhoenix.REQUIRED + "=true");
      }
      String message = "Only the test server runs the client scenarios: " + unavailable.get();
      if (RealPhoenix.enabled()) {
        System.err.println(message); // asked for with -Preal-phoenix: say it on the console, not only in the report
      }
      Assumptions.abort(message);
    }
    HttpClient http = HttpClient.newHttpClient();
    for (PhoenixVersion version : PhoenixVersion.values()) {
      RealPhoenix server = RealPhoenix.shared(version);
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/health")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).as("%s", server).isEqualTo(200);
      assertThat(health.body()).isEqualTo("ok");
    }
  }
}
