package io.phoenixchannels.testserver;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The Phoenix application behind the conformance traces ({@code conformance/README.md}), rebuilt on this module's
 * public API: a {@code room:*} channel (joins, replies, broadcasts, Presence, crashes, stops, binary frames,
 * disconnect by id) and a {@code game:*} channel (bursts of pushes and timed ticks; players and moves for the board
 * game of {@code phx demo --gui}). It is what the conformance replay, the phoenix.js cross-check, the integration
 * tests and {@code phx} run against, and the best example of the API.
 *
 * <p>Run it on its own with {@code java io.phoenixchannels.testserver.ReferenceApp --port 4000 --host 127.0.0.1}
 * (add {@code --version 1.7} for Phoenix 1.7 behaviour); it serves until the process is stopped.
 */
public final class ReferenceApp {
  /** The auth tokens the 1.8 app accepts; both make the user {@code tokuser}. */
  static final Set<String> ACCEPTED_TOKENS = Set.of("secret-token", "tok/with+slash?");
  static final String USER_ID = "user_id";
  static final String AUTH_TOKEN = "auth_token";

  private static final SecureRandom RANDOM = new SecureRandom();

  private ReferenceApp() {}

  /**
   * Installs the reference app's connect handler and channels on a builder.
   *
   * @param builder the builder to configure
   * @return the same builder
   */
  public static PhoenixTestServer.Builder configure(PhoenixTestServer.Builder builder) {
    return builder
        .connectHandler(ReferenceApp::connect)
        .channel("room:*", ReferenceRoomChannel::new)
        .channel("game:*", ReferenceGameChannel::new);
  }

  /**
   * Starts the reference app on a loopback port of its choosing.
   *
   * @param version the Phoenix release to behave as
   * @return the running server
   */
  public static PhoenixTestServer start(PhoenixVersion version) {
    return configure(PhoenixTestServer.builder().version(version)).start();
  }

  /**
   * The app's {@code connect/3}: {@code token=bad} is refused; an auth token must be one of the accepted ones and
   * makes the user {@code tokuser}; otherwise the user is the {@code user_id} param or a generated id. The socket id
   * is {@code users_socket:<user_id>}.
   *
   * @param request the connect request
   * @return the decision
   */
  static ConnectDecision connect(ConnectRequest request) {
    if ("bad".equals(request.param("token"))) {
      return ConnectDecision.refuse();
    }
    Optional<String> token = request.authToken();
    String userId;
    if (token.isPresent()) {
      if (!ACCEPTED_TOKENS.contains(token.get())) {
        return ConnectDecision.refuse();
      }
      userId = "tokuser";
    } else {
      String param = request.param(USER_ID);
      userId = param != null ? param : "user-" + HexFormat.of().formatHex(RANDOM.generateSeed(4));
    }
    Map<String, Object> assigns = new LinkedHashMap<>();
    assigns.put(USER_ID, userId);
    token.ifPresent(value -> assigns.put(AUTH_TOKEN, value));
    return ConnectDecision.accept("users_socket:" + userId, assigns);
  }

  /**
   * Runs the reference app until the process ends.
   *
   * @param args {@code --port N} (default 4000), {@code --host H} (default 127.0.0.1), {@code --version 1.7|1.8}
   *     (default 1.8)
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    int port = 4000;
    String host = "127.0.0.1";
    PhoenixVersion version = PhoenixVersion.PHOENIX_1_8;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        usage("missing a value after " + option);
      }
      String value = args[++i];
      switch (option) {
        case "--port" -> port = parsePort(value);
        case "--host" -> host = value;
        case "--version" -> version = switch (value) {
          case "1.7" -> PhoenixVersion.PHOENIX_1_7;
          case "1.8" -> PhoenixVersion.PHOENIX_1_8;
          default -> throw usage("unknown --version " + value + " (1.7 or 1.8)");
        };
        default -> usage("unknown option " + option);
      }
    }
    // It may serve for hours: keep no recording.
    PhoenixTestServer server = configure(PhoenixTestServer.builder().host(host).port(port).version(version)
        .recordFrames(false)).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "reference-app-shutdown"));
    System.out.println("Phoenix " + (version == PhoenixVersion.PHOENIX_1_7 ? "1.7" : "1.8")
        + " reference app listening on " + server.url() + " (long-poll: " + server.httpUrl() + "/longpoll)");
    stopped.await();
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw usage("--port needs a number, got " + value);
    }
  }

  private static IllegalArgumentException usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: ReferenceApp [--port N] [--host H] [--version 1.7|1.8]");
    System.exit(2);
    return new IllegalArgumentException(problem);
  }
}
