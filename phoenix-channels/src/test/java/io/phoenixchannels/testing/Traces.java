package io.phoenixchannels.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The conformance traces: recordings of real Phoenix 1.7 and 1.8 servers with phoenix.js. Read from
 * {@code ../shared/conformance/traces} (the ground truth) when it exists beside the repository, else from the
 * repository's verbatim copy in {@code conformance/traces}; the system property {@code phoenix.traces} overrides
 * both.
 */
public final class Traces {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Traces() {}

  /** The traces directory, holding {@code phoenix-1.7} and {@code phoenix-1.8}. */
  public static Path directory() {
    String override = System.getProperty("phoenix.traces");
    if (override != null) {
      return Path.of(override);
    }
    Path shared = sharedDirectory();
    if (shared != null) {
      return shared;
    }
    Path copy = repositoryCopy();
    if (copy != null) {
      return copy;
    }
    throw new IllegalStateException("conformance traces not found: neither ../shared/conformance/traces nor "
        + "conformance/traces above " + Path.of("").toAbsolutePath());
  }

  /** {@code ../shared/conformance/traces} beside the repository, or {@code null}. */
  public static Path sharedDirectory() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("conformance/traces")) && Files.exists(dir.resolve("pom.xml"))) {
        Path shared = dir.getParent() == null ? null : dir.getParent().resolve("shared/conformance/traces");
        return shared != null && Files.isDirectory(shared) ? shared : null;
      }
    }
    return null;
  }

  /** The repository's copy, {@code conformance/traces} at the repository root, or {@code null}. */
  public static Path repositoryCopy() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("conformance/traces");
      if (Files.isDirectory(candidate) && Files.exists(dir.resolve("pom.xml"))) {
        return candidate;
      }
    }
    return null;
  }

  /** One trace, for example {@code load("phoenix-1.8", "v2_join_ok")}. */
  public static List<JsonNode> load(String version, String name) {
    return read(directory().resolve(version).resolve(name + ".jsonl"));
  }

  /** The names (without {@code .jsonl}) of one version's traces that start with a prefix. */
  public static List<String> names(String version, String prefix) {
    try (Stream<Path> files = Files.list(directory().resolve(version))) {
      return files.map(path -> path.getFileName().toString())
          .filter(name -> name.startsWith(prefix) && name.endsWith(".jsonl"))
          .map(name -> name.substring(0, name.length() - ".jsonl".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a JSON Lines file. */
  public static List<JsonNode> read(Path file) {
    try {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          lines.add(MAPPER.readTree(line));
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trace " + file, e);
    }
  }
}
