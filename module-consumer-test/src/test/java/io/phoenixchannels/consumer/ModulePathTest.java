package io.phoenixchannels.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ConsumerApp} as a user's modular application does: its module and the library's on the module
 * path (the jars Maven just built, in a full build), nothing on the class path.
 */
class ModulePathTest {

  @Test
  void theApplicationModuleRunsAgainstThePublishedModules() throws IOException, InterruptedException {
    String dependencies = System.getProperty("consumer.modulePath");
    assertThat(dependencies).as("set by the build (maven-dependency-plugin)").isNotBlank();
    List<String> modulePath = Arrays.asList(dependencies.split(File.pathSeparator));
    assertThat(modulePath).anyMatch(entry -> entry.contains("phoenix-channels"))
        .anyMatch(entry -> entry.contains("okhttp"));

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java,
        "--module-path", System.getProperty("consumer.classes") + File.pathSeparator + dependencies,
        "--module", "io.phoenixchannels.consumer/" + ConsumerApp.class.getName())
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains(ConsumerApp.OK);
  }
}
