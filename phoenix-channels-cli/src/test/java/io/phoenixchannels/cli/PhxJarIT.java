package io.phoenixchannels.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.ReferenceApp;
import io.phoenixchannels.testserver.ServerChannel;
import io.phoenixchannels.testserver.ServerListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code target/phx.jar}, run as a user runs it ({@code java -jar}) in a subprocess against the test
 * server: exit codes, JSON output, a scripted session, a clean leave on SIGTERM, and the demo. Standard input is
 * a pipe, never a terminal; every process has a deadline and is killed if it overruns it.
 */
class PhxJarIT {
  private static final Duration DEADLINE = Duration.ofSeconds(40);
  private static final List<String> CHANNEL_ENDS = new CopyOnWriteArrayList<>();
  private static PhoenixTestServer server;

  @TempDir
  Path temp;

  @BeforeAll
  static void start() {
    server = ReferenceApp.configure(PhoenixTestServer.builder().listener(new ServerListener() {
      @Override
      public void channelEnded(ServerChannel channel, String reason) {
        CHANNEL_ENDS.add(channel.connection().socketId().orElse("?") + " " + channel.topic() + " " + reason);
      }
    })).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theJarIsRunnableAndKnowsItsVersion() throws Exception {
    Run version = run("", "--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("phx 0.").doesNotContain("unknown");
  }

  @Test
  void pushExitCodesAreTheOutcome() throws Exception {
    Run ok = run("", "push", server.url(), "room:lobby", "echo", "{\"body\":\"hi\"}", "--json");
    assertThat(ok.exitCode()).as(ok.err()).isEqualTo(ExitCode.OK);
    JsonNode reply = Json.parse(ok.out().strip());
    assertThat(reply.get("type").asText()).isEqualTo("reply");
    assertThat(reply.get("status").asText()).isEqualTo("ok");
    assertThat(reply.get("response").get("body").asText()).isEqualTo("hi");

    assertThat(run("", "push", server.url(), "room:lobby", "error_reply").exitCode()).isEqualTo(ExitCode.ERROR);
    Run timeout = run("", "push", server.url(), "room:lobby", "noreply", "--timeout", "300ms");
    assertThat(timeout.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(timeout.out()).contains("noreply timeout");
    assertThat(run("", "push", server.url(), "room:private", "echo").err()).contains("refused to join");
    Run refused = run("", "push", server.url(), "room:lobby", "echo", "--param", "token=bad");
    assertThat(refused.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
    assertThat(refused.err()).contains("HTTP 403");
  }

  @Test
  void badInputIsOneLineAndExit64() throws Exception {
    for (String[] args : List.of(new String[] {"nonsense"},
        new String[] {"push", "ws//missing-colon", "room:lobby", "echo"},
        new String[] {"push", server.url(), "room:lobby", "echo", "{not json"})) {
      Run bad = run("", args);
      assertThat(bad.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
      assertThat(bad.err().lines().toList()).hasSize(1);
      assertThat(bad.err()).startsWith("phx: ").doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(bad.out()).isEmpty();
    }
  }

  @Test
  void listenPrintsPresenceAndBroadcastsAndLeavesOnSigterm() throws Exception {
    Path out = temp.resolve("listen.out");
    Process listen = start("", out, temp.resolve("listen.err"), "listen", server.url(), "room:it",
        "--param", "user_id=lis", "--join-params", "{\"name\":\"Lis\"}", "--json");
    try {
      await().atMost(DEADLINE).until(() -> read(out).contains("\"type\":\"presence\""));
      try (PhoenixSocket bob = PhoenixSocket.builder(server.url()).params(Map.of("user_id", "bob")).build()) {
        PhoenixChannel room = bob.channel("room:it", Map.of("name", "Bob"));
        room.join();
        bob.connect();
        room.push("broadcast", Map.of("body", "hello")).toFuture().get(10, TimeUnit.SECONDS);
      }
      await().atMost(DEADLINE).until(() -> read(out).contains("\"broadcasted\""));
    } finally {
      listen.destroy(); // SIGTERM, as a service manager or a Ctrl-C would stop it
      assertThat(listen.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("listen ended on SIGTERM").isTrue();
    }
    List<JsonNode> lines = read(out).lines().map(Json::parse).toList();
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.get("type").asText()).isEqualTo("presence");
      assertThat(line.get("event").asText()).isEqualTo("join");
      assertThat(line.get("key").asText()).isEqualTo("bob");
      assertThat(line.get("metas").get(0).get("name").asText()).isEqualTo("Bob");
    });
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.get("type").asText()).isEqualTo("message");
      assertThat(line.get("event").asText()).isEqualTo("broadcasted");
      assertThat(line.get("payload").get("body").asText()).isEqualTo("hello");
    });
    await().atMost(DEADLINE).until(() -> CHANNEL_ENDS.contains("users_socket:lis room:it left"));
  }

  @Test
  void connectRunsAScriptFromStandardInput() throws Exception {
    Run session = run("join room:script {\"name\": \"Ada\"}\npush room:script echo {\"n\": 1}\n"
        + "push room:script nope\nquit\n", "connect", server.url(), "--param", "user_id=ada", "--json");
    // "nope" is an unknown event: its error reply is the script's first failure, and a script must be able to tell.
    assertThat(session.exitCode()).as(session.err()).isEqualTo(ExitCode.ERROR);
    List<JsonNode> replies = session.out().lines().map(Json::parse)
        .filter(line -> line.get("type").asText().equals("reply")).toList();
    assertThat(replies).extracting(reply -> reply.get("event").asText() + " " + reply.get("status").asText())
        .containsExactly("phx_join ok", "echo ok", "nope error");
    assertThat(replies.get(1).get("response").get("n").asInt()).isEqualTo(1);
  }

  @Test
  void theDemoRunsToItsEnd() throws Exception {
    // No time limit but the run's deadline: it takes about 5 s on an idle machine, much more on a loaded one.
    Run demo = run("", "demo");
    assertThat(demo.exitCode()).as(demo.out() + demo.err()).isEqualTo(ExitCode.OK);
    assertThat(demo.err()).isEmpty();
    assertThat(demo.out()).contains("Step 8/8", "reconnected by itself", "rejoined room:lobby", "Summary",
        "Every step completed");
  }

  @Test
  void theJarCarriesNativeEpollForEveryLinuxPlatformNettyPublishes() throws Exception {
    try (JarFile jar = new JarFile(jar().toFile())) {
      for (String arch : List.of("x86_64", "aarch_64", "riscv64")) {
        assertThat(jar.getEntry("META-INF/native/libnetty_transport_native_epoll_" + arch + ".so")).as(arch)
            .isNotNull();
      }
    }
  }

  /**
   * One finished run.
   *
   * @param exitCode the process's exit code
   * @param out its standard output
   * @param err its standard error
   */
  private record Run(int exitCode, String out, String err) {}

  private Run run(String stdin, String... args) throws Exception {
    Path out = Files.createTempFile(temp, "out", ".txt");
    Path err = Files.createTempFile(temp, "err", ".txt");
    Process process = start(stdin, out, err, args);
    if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("phx " + String.join(" ", args) + " did not end within " + DEADLINE + ":\n"
          + read(out) + read(err));
    }
    return new Run(process.exitValue(), read(out), read(err));
  }

  private static Process start(String stdin, Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    return process;
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("phx.jar", "target/phx.jar"));
    assertThat(jar).as("the jar built by the package phase").exists();
    return jar;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
