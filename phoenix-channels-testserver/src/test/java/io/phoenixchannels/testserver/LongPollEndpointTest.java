package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The long-poll endpoint beyond what the traces show: tokens in headers, binary lines, session expiry, closes. */
class LongPollEndpointTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static JsonNode get(String url, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return MAPPER.readTree(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private static JsonNode post(String url, String body) throws Exception {
    return MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  /** Polls until the given number of messages arrived. */
  private static List<JsonNode> poll(String url, int count) throws Exception {
    List<JsonNode> messages = new ArrayList<>();
    while (messages.size() < count) {
      JsonNode body = get(url);
      assertThat(body.get("status").asInt()).isIn(200, 204);
      for (JsonNode message : body.get("messages")) {
        messages.add(MAPPER.readTree(message.asText()));
      }
    }
    return messages;
  }

  @Test
  void takesTheSessionTokenFromTheHeaderOn18AndIgnoresTheHeaderOn17() throws Exception {
    try (PhoenixTestServer v18 = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8);
        PhoenixTestServer v17 = ReferenceApp.start(PhoenixVersion.PHOENIX_1_7)) {
      String token18 = get(v18.httpUrl() + "/longpoll?vsn=2.0.0").get("token").asText();
      post(v18.httpUrl() + "/longpoll?vsn=2.0.0&token=" + token18, "[\"1\",\"1\",\"game:1\",\"phx_join\",{}]");
      JsonNode byHeader = get(v18.httpUrl() + "/longpoll?vsn=2.0.0", "X-Phoenix-LongPoll-Token", token18);
      assertThat(byHeader.get("status").asInt()).isEqualTo(200);
      assertThat(byHeader.get("token").asText()).isEqualTo(token18);

      String token17 = get(v17.httpUrl() + "/longpoll?vsn=2.0.0").get("token").asText();
      JsonNode headerIgnored = get(v17.httpUrl() + "/longpoll?vsn=2.0.0", "X-Phoenix-LongPoll-Token", token17);
      assertThat(headerIgnored.get("status").asInt()).isEqualTo(410);
      assertThat(headerIgnored.get("token").asText()).isNotEqualTo(token17);
    }
  }

  @Test
  void readsTheAuthTokenHeaderOfTheOpeningRequestOn18() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      assertThat(get(server.httpUrl() + "/longpoll?vsn=2.0.0", "X-Phoenix-AuthToken", "wrong").toString())
          .isEqualTo("{\"status\":403}");
      JsonNode opened = get(server.httpUrl() + "/longpoll?vsn=2.0.0", "X-Phoenix-AuthToken", "tok/with+slash?");
      assertThat(opened.get("status").asInt()).isEqualTo(410);
      assertThat(server.takeConnection(WireClient.WAIT).request().authToken()).contains("tok/with+slash?");
    }
  }

  @Test
  void takesBase64LinesAsBinaryFramesAndPostsWithoutASessionGet410() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      String url = server.httpUrl() + "/longpoll?vsn=2.0.0&token=" + get(server.httpUrl() + "/longpoll?vsn=2.0.0")
          .get("token").asText();
      byte[] binaryEcho = ChannelProtocolTest.concat(new byte[] {0, 1, 1, 8, 4}, "12game:binecho".getBytes(),
          new byte[] {5});
      assertThat(post(url, "[\"1\",\"1\",\"game:bin\",\"phx_join\",{}]\n"
          + Base64.getEncoder().encodeToString(binaryEcho)).get("status").asInt()).isEqualTo(200);
      poll(url, 1);
      RecordedFrame inbound = server.takeConnection(WireClient.WAIT).takeInbound("echo", WireClient.WAIT);
      assertThat(inbound.isBinary()).isTrue();
      assertThat(inbound.payload().binaryValue()).containsExactly(5);
      assertThat(post(server.httpUrl() + "/longpoll?vsn=2.0.0&token=nope", "[]").toString())
          .isEqualTo("{\"status\":410}");
    }
  }

  @Test
  void endsASessionWithoutPollsAfterAWindowAndPresenceSeesTheLeave() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder()
        .longPollWindow(Duration.ofMillis(200))).start();
        WireClient watcher = WireClient.connect(server, "user_id=w&vsn=2.0.0")) {
      watcher.join("1", "room:lp", java.util.Map.of());
      watcher.next();
      watcher.next();
      String url = server.httpUrl() + "/longpoll?user_id=lp&vsn=2.0.0&token="
          + get(server.httpUrl() + "/longpoll?user_id=lp&vsn=2.0.0").get("token").asText();
      post(url, "[\"1\",\"1\",\"room:lp\",\"phx_join\",{}]");
      assertThat(watcher.next().get(4).get("joins").has("lp")).isTrue();

      JsonNode leave = watcher.next(); // nobody polls: the session ends and its presence leaves
      assertThat(leave.get(4).get("leaves").has("lp")).isTrue();
      assertThat(get(url).get("status").asInt()).isEqualTo(410); // a new session: the old one is gone
    }
  }

  @Test
  void aServerCloseLeavesNoPollHangingAndEndsTheSession() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      String token = get(server.httpUrl() + "/longpoll?vsn=2.0.0").get("token").asText();
      ClientConnection connection = server.takeConnection(WireClient.WAIT);
      var waiting = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/longpoll?vsn=2.0.0&token="
          + token)).build(), HttpResponse.BodyHandlers.ofString());
      connection.close(1000, "");
      // Held when the close came: answered 204 at once; arrived after it: the session is gone, a new one opens
      // (410). Either way long before the 10 s window.
      assertThat(MAPPER.readTree(waiting.get(2, java.util.concurrent.TimeUnit.SECONDS).body()).get("status").asInt())
          .isIn(204, 410);
      assertThat(connection.awaitClose(WireClient.WAIT).byServer()).isTrue();
      assertThat(post(server.httpUrl() + "/longpoll?vsn=2.0.0&token=" + token, "[]").get("status").asInt())
          .isEqualTo(410);
    }
  }
}
