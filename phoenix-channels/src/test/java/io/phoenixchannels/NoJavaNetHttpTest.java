package io.phoenixchannels;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.testing.ClassFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Android has no {@code java.net.http}. The client core must run there with another transport (OkHttp), so only
 * the JDK transports' own classes may name that package: {@code transport/WebSocketTransport} and its
 * {@code transport/JdkWebSocketTransport}, the long-poll
 * transport ({@code transport/LongPollTransport} and its {@code transport/BoundedBodySubscriber}), and
 * {@code internal/SharedHttpClient}, which {@code PhoenixSocket.Builder.build()} reaches only when a built-in
 * transport (or the built-in long-poll fallback) was chosen.
 */
class NoJavaNetHttpTest {
  private static final List<String> ALLOWED = List.of(
      "io/phoenixchannels/transport/WebSocketTransport", "io/phoenixchannels/transport/JdkWebSocketTransport",
      "io/phoenixchannels/transport/LongPollTransport",
      "io/phoenixchannels/transport/BoundedBodySubscriber", "io/phoenixchannels/internal/SharedHttpClient");

  @Test
  void onlyTheJdkTransportClassesNameJavaNetHttp() {
    Path classes = ClassFiles.locationOf(PhoenixSocket.class);
    Map<String, List<String>> internalNames = ClassFiles.constantsContaining(classes, "java/net/http");
    Map<String, List<String>> dottedNames = ClassFiles.constantsContaining(classes, "java.net.http");
    dottedNames.remove("module-info.class"); // "requires java.net.http" resolves a module; it loads no class

    assertThat(internalNames.keySet()).as("the scan sees the JDK transport's references")
        .anyMatch(file -> file.startsWith("io/phoenixchannels/transport/WebSocketTransport"))
        .anyMatch(file -> file.startsWith("io/phoenixchannels/transport/LongPollTransport"))
        .anyMatch(file -> file.startsWith("io/phoenixchannels/internal/SharedHttpClient"));
    assertThat(offenders(internalNames)).as("classes outside the JDK transport that refer to java.net.http")
        .isEmpty();
    assertThat(offenders(dottedNames)).as("classes outside the JDK transport that name java.net.http "
        + "(for instance for reflection)").isEmpty();
  }

  /**
   * Runs a socket through connect, join, push and reply over a fake transport in a fresh JVM that logs every class
   * it loads, verification included: none of {@code java.net.http} may be among them.
   */
  @Test
  void aSocketWithAnotherTransportNeverLoadsJavaNetHttp() throws IOException, InterruptedException {
    Path log = Files.createTempFile("class-load", ".log");
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-Xshare:off", "-Xlog:class+load=info:file=" + log,
          "-cp", System.getProperty("java.class.path"), SocketWithoutJavaNetHttp.class.getName())
          .redirectErrorStream(true)
          .start();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      assertThat(output).contains(SocketWithoutJavaNetHttp.DONE);

      List<String> loaded = Files.readAllLines(log);
      assertThat(loaded).as("the log lists the classes loaded").anyMatch(line -> line.contains("PhoenixSocket"));
      assertThat(loaded.stream().filter(line -> line.contains("java.net.http")).collect(Collectors.toList()))
          .isEmpty();
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static List<String> offenders(Map<String, List<String>> found) {
    List<String> offenders = new ArrayList<>();
    found.forEach((file, constants) -> {
      if (ALLOWED.stream().noneMatch(allowed -> file.equals(allowed + ".class") || file.startsWith(allowed + "$"))) {
        offenders.add(file + " " + constants);
      }
    });
    return offenders;
  }
}
