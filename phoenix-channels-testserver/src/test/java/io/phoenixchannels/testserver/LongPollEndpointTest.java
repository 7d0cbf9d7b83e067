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
import java.util.concurrent.TimeUnit;
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
  void aSessionTheServerEndsLeavesItsHeldPollWaitingForTheWindowAsPhoenixDoesWhileAPostGets410() throws Exception {
    Duration window = Duration.ofMillis(500);
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder().longPollWindow(window))
        .start()) {
      String token = get(server.httpUrl() + "/longpoll?vsn=2.0.0").get("token").asText();
      ClientConnection connection = server.takeConnection(WireClient.WAIT);
      long pollSent = System.nanoTime();
      var held = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/longpoll?vsn=2.0.0&token="
          + token)).build(), HttpResponse.BodyHandlers.ofString());
      connection.close(1000, "");
      assertThat(connection.awaitClose(WireClient.WAIT).byServer()).isTrue();
      assertThat(post(server.httpUrl() + "/longpoll?vsn=2.0.0&token=" + token, "[]").get("status").asInt())
          .isEqualTo(410);
      JsonNode answer = MAPPER.readTree(held.get(WireClient.WAIT.toMillis(), TimeUnit.MILLISECONDS).body());
      long answeredAfter = System.nanoTime() - pollSent;
      if (answer.get("token").asText().equals(token)) {
        // Held when the close came: answered 204 only when its window passed.
        assertThat(answer.get("status").asInt()).isEqualTo(204);
        assertThat(Duration.ofNanos(answeredAfter)).isGreaterThanOrEqualTo(window);
      } else {
        // Arrived after the close: the session was gone, a new one opened.
        assertThat(answer.get("status").asInt()).isEqualTo(410);
      }
    }
  }

  @Test
  void aV1ObjectLineInAnNdjsonBatchIsHttp500AfterTheLinesBeforeItWereDispatched() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      String url = server.httpUrl() + "/longpoll?vsn=2.0.0&token=" + get(server.httpUrl() + "/longpoll?vsn=2.0.0")
          .get("token").asText();
      HttpResponse<String> crashed = send(url, "application/x-ndjson", "[\"1\",\"1\",\"game:v1\",\"phx_join\",{}]\n"
          + "{\"topic\":\"game:v1\",\"event\":\"echo\",\"payload\":{},\"ref\":\"2\"}\n"
          + "[\"1\",\"3\",\"game:v1\",\"echo\",{}]");
      assertThat(crashed.statusCode()).isEqualTo(500);
      assertThat(crashed.body()).isEqualTo(SERVER_ERROR);
      assertThat(crashed.headers().firstValue("content-type")).contains("application/json; charset=utf-8");
      ClientConnection connection = server.takeConnection(WireClient.WAIT);
      assertThat(connection.takeInbound(WireClient.WAIT).event()).isEqualTo("phx_join");
      connection.assertNoMoreInbound(Duration.ofMillis(200));
      assertThat(poll(url, 1).get(0).get(4).get("status").asText()).as("the session lives on").isEqualTo("ok");
    }
  }

  @Test
  void aFramePostedAloneAsJsonIsOneTextFrameV1Included() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      String url = server.httpUrl() + "/longpoll?vsn=1.0.0&token=" + get(server.httpUrl() + "/longpoll?vsn=1.0.0")
          .get("token").asText();
      HttpResponse<String> posted = send(url, "application/json",
          "{\"topic\":\"game:v1\",\"event\":\"phx_join\",\"payload\":{},\"ref\":\"1\"}");
      assertThat(posted.body()).isEqualTo("{\"status\":200}");
      JsonNode reply = poll(url, 1).get(0);
      assertThat(reply.get("ref").asText()).isEqualTo("1");
      assertThat(reply.get("payload").get("status").asText()).isEqualTo("ok");
    }
  }

  @Test
  void aBinaryFrameThatIsNotUtf8FailsThePollWithHttp500AndLosesWhatWasQueuedWithIt() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder()
        .longPollWindow(Duration.ofMillis(300))).start()) {
      String url = server.httpUrl() + "/longpoll?vsn=2.0.0&token=" + get(server.httpUrl() + "/longpoll?vsn=2.0.0")
          .get("token").asText();
      post(url, "[\"1\",\"1\",\"room:bin\",\"phx_join\",{\"presence\":false}]");
      poll(url, 1);
      post(url, "[\"1\",\"2\",\"room:bin\",\"binary_push\",{\"size\":200}]\n[\"1\",\"3\",\"room:bin\",\"echo\",{}]");
      HttpResponse<String> crashed = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(crashed.statusCode()).isEqualTo(500);
      assertThat(crashed.body()).isEqualTo(SERVER_ERROR);
      assertThat(get(url).toString()).as("the binary push and both replies are gone").contains("\"status\":204");
      post(url, "[\"1\",\"4\",\"room:bin\",\"echo\",{}]");
      assertThat(poll(url, 1).get(0).get(1).asText()).as("the session lives on").isEqualTo("4");
    }
  }

  @Test
  void aBinaryFrameWhoseBytesAreUtf8TravelsAsTheirString() throws Exception {
    try (PhoenixTestServer server = ReferenceApp.start(PhoenixVersion.PHOENIX_1_8)) {
      String url = server.httpUrl() + "/longpoll?vsn=2.0.0&token=" + get(server.httpUrl() + "/longpoll?vsn=2.0.0")
          .get("token").asText();
      post(url, "[\"1\",\"1\",\"room:bin\",\"phx_join\",{\"presence\":false}]");
      poll(url, 1);
      post(url, "[\"1\",\"2\",\"room:bin\",\"binary_push\",{\"size\":3}]");
      List<String> texts = new ArrayList<>();
      while (texts.size() < 2) {
        get(url).get("messages").forEach(message -> texts.add(message.asText()));
      }
      assertThat(texts.get(0)).isEqualTo("\u0000\u0001\u0008\u000b1room:binbinary_item\u0000\u0001\u0002");
    }
  }

  private static final String SERVER_ERROR = "{\"errors\":{\"detail\":\"Internal Server Error\"}}";

  private static HttpResponse<String> send(String url, String contentType, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
