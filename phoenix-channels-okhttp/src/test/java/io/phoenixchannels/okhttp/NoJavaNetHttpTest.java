package io.phoenixchannels.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.testing.ClassFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Android has no {@code java.net.http}: nothing on the OkHttp transport's path may touch it. */
class NoJavaNetHttpTest {

  @Test
  void theTransportsClassesNameNoJavaNetHttp() {
    Path classes = ClassFiles.locationOf(OkHttpTransport.class);
    assertThat(ClassFiles.constantsContaining(classes, "okhttp3/")).as("the scan reads these classes").isNotEmpty();
    assertThat(ClassFiles.constantsContaining(classes, "java/net/http")).isEmpty();
    assertThat(ClassFiles.constantsContaining(classes, "java.net.http")).isEmpty();
  }

  /**
   * Runs a socket over OkHttp through join, push, reply and close in a fresh JVM that logs every class it loads,
   * verification included: none of {@code java.net.http} may be among them.
   */
  @Test
  void aSocketOverOkHttpNeverLoadsJavaNetHttp() throws IOException, InterruptedException {
    Path log = Files.createTempFile("class-load", ".log");
    try {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-Xshare:off", "-Xlog:class+load=info:file=" + log,
          "-cp", System.getProperty("java.class.path"), OkHttpRoundTrip.class.getName())
          .redirectErrorStream(true)
          .start();
      String output = new String(process.getInputStream().readAllBytes());
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      assertThat(output).contains(OkHttpRoundTrip.DONE);

      List<String> loaded = Files.readAllLines(log);
      assertThat(loaded).as("the log lists the classes loaded")
          .anyMatch(line -> line.contains("io.phoenixchannels.okhttp.OkHttpTransport "))
          .anyMatch(line -> line.contains("io.phoenixchannels.PhoenixSocket "));
      assertThat(loaded.stream().filter(line -> line.contains("java.net.http")).collect(Collectors.toList()))
          .isEmpty();
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
