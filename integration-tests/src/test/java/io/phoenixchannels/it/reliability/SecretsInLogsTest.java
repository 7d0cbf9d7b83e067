package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ChannelState;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testing.CapturedLogs;
import io.phoenixchannels.testing.ScenarioFigures;
import io.phoenixchannels.testserver.ChannelHandler;
import io.phoenixchannels.testserver.ConnectDecision;
import io.phoenixchannels.testserver.HandleResult;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.transport.WebSocketTransport;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * No secret reaches the log output, at any level: the client logs through its default logger ({@code
 * System.getLogger("io.phoenixchannels")}, which goes to {@code java.util.logging} here), captured at ALL levels
 * (TRACE and DEBUG included) together with the test server's and the event loops' loggers, while the socket goes
 * through everything that logs: a connect refused with 403, a connect with an auth token and params named
 * {@code token}, {@code password}, {@code client_secret} and a nested {@code password}, a join with a password in its
 * params, pushes with secrets in their payloads, heartbeats, a cut and a reconnect, a leave, a close. Neither the
 * secrets nor their URL-encoded or Base64 forms appear; nor in the messages the error listeners get, which
 * applications log.
 */
class SecretsInLogsTest {
  private static final String AUTH_TOKEN = "AuthTokenS3cr3tValue";
  private static final String PARAM_TOKEN = "ParamTok3nValue+/=";
  private static final String PASSWORD = "Passw0rdValue!&";
  private static final String CLIENT_SECRET = "ClientS3cretValue";
  private static final String NESTED_PASSWORD = "NestedPassw0rdValue";
  private static final String JOIN_PASSWORD = "JoinPassw0rdValue";
  private static final String PAYLOAD_SECRET = "PayloadS3cretValue";

  @Test
  void neitherTheTokenNorSecretParamsAppearInTheLogsAtAnyLevel() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("5c-secrets-in-logs",
        "Secrets (auth token, token/password/secret params) in log output, all levels").unit("log records");
    AtomicInteger refusals = new AtomicInteger(1);
    Queue<PhoenixException> errors = new ConcurrentLinkedQueue<>();
    try (CapturedLogs logs = CapturedLogs.of("io.phoenixchannels");
        PhoenixTestServer server = PhoenixTestServer.builder()
            .connectHandler(request -> refusals.getAndDecrement() > 0 ? ConnectDecision.refuse()
                : ConnectDecision.accept("user:" + request.param("user_id")))
            .channel("room:*", () -> ChannelHandler.joinAll(event -> HandleResult.ok(Map.of("seen", true))))
            .start();
        PhoenixSocket socket = Sockets.fast(server.url())
            .heartbeatInterval(Duration.ofMillis(100))
            .authToken(() -> AUTH_TOKEN)
            .params(() -> Map.of("user_id", "ada", "token", PARAM_TOKEN, "password", PASSWORD,
                "client_secret", CLIENT_SECRET, "auth", Map.of("password", NESTED_PASSWORD)))
            .build()) {
      socket.onError(errors::add);
      PhoenixChannel room = socket.channel("room:secret", Map.of("password", JOIN_PASSWORD));
      room.join();
      socket.connect();
      await().atMost(Duration.ofSeconds(5)).until(() -> room.state() == ChannelState.JOINED);
      room.push("update", Map.of("password", PAYLOAD_SECRET)).toFuture().get(5, TimeUnit.SECONDS);
      long heartbeatsBefore = countMessages(logs, "heartbeat");
      await().atMost(Duration.ofSeconds(5)).until(() -> countMessages(logs, "heartbeat") > heartbeatsBefore + 1);
      server.connections().get(0).cut();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.connections().size() == 2
          && room.state() == ChannelState.JOINED);
      room.push("update", Map.of("secret", PAYLOAD_SECRET)).toFuture().get(5, TimeUnit.SECONDS);
      room.leave().toFuture().get(5, TimeUnit.SECONDS);
      socket.disconnect().get(5, TimeUnit.SECONDS);

      String logged = logs.text();
      List<String> forbidden = forbiddenForms();
      assertThat(logs.records()).as("the capture works: the client logged its traffic at DEBUG")
          .anyMatch(record -> record.getLevel().intValue() <= Level.FINE.intValue()
              && record.getMessage().startsWith("connecting to"));
      assertThat(logged).as("the refused connect and the reconnect are in the logs")
          .contains("403").contains("closed 1006");
      for (String secret : forbidden) {
        assertThat(logged).as("log output").doesNotContain(secret);
        for (PhoenixException error : errors) {
          assertThat(error.getMessage()).as("an error the listeners got").doesNotContain(secret);
        }
      }
      figures.operations(logs.records().size()).notApplicable("acknowledged", "timedOutOrFailed").lost(0)
          .duplicated(0)
          .note(String.format("%d log records at all levels (%,d characters), and the error listeners' %d "
              + "message(s): none holds any of %d forms of 7 secrets (raw, URL-encoded, Base64 subprotocol)",
              logs.records().size(), logged.length(), errors.size(), forbidden.size()))
          .write();
    }
  }

  private static long countMessages(CapturedLogs logs, String word) {
    return logs.records().stream().filter(record -> record.getMessage() != null
        && record.getMessage().contains(word)).count();
  }

  private static List<String> forbiddenForms() {
    List<String> forms = new ArrayList<>();
    for (String secret : List.of(AUTH_TOKEN, PARAM_TOKEN, PASSWORD, CLIENT_SECRET, NESTED_PASSWORD, JOIN_PASSWORD,
        PAYLOAD_SECRET)) {
      forms.add(secret);
      forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }
    forms.add(WebSocketTransport.authTokenSubprotocol(AUTH_TOKEN).substring(WebSocketTransport.AUTH_TOKEN_PREFIX
        .length()));
    return forms;
  }
}
