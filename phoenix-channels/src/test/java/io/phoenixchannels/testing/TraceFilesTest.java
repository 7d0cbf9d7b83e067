package io.phoenixchannels.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TraceFilesTest {

  @Test
  void repositoryCopyIsFoundAndHoldsBothVersions() {
    Path copy = Traces.repositoryCopy();
    assertThat(copy).isNotNull();
    assertThat(copy.resolve("phoenix-1.7")).isDirectory();
    assertThat(copy.resolve("phoenix-1.8")).isDirectory();
  }

  @Test
  void repositoryCopyEqualsTheSharedTraces() throws IOException {
    Path shared = Traces.sharedDirectory();
    // Only a checkout with ../shared beside it can compare; a clean clone elsewhere uses the copy alone.
    assumeTrue(shared != null, "no ../shared/conformance/traces beside this checkout");
    Path copy = Traces.repositoryCopy();
    List<Path> sharedFiles = files(shared);
    assertThat(files(copy)).containsExactlyElementsOf(sharedFiles);
    for (Path relative : sharedFiles) {
      assertThat(Files.readAllBytes(copy.resolve(relative)))
          .as(relative.toString())
          .isEqualTo(Files.readAllBytes(shared.resolve(relative)));
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
