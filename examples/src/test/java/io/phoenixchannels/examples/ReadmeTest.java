package io.phoenixchannels.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keeps the README's Java and Kotlin code identical to the examples the build compiles. */
class ReadmeTest {
  private static final Path README = Path.of("../README.md");
  private static final Path SOURCES = Path.of("src/main/java/io/phoenixchannels/examples");
  private static final Path TEST_SOURCES = Path.of("src/test/java/io/phoenixchannels/examples");
  /** The Kotlin example is compiled and tested by its own module, whose tests hold it. */
  private static final Path KOTLIN_SOURCES =
      Path.of("../phoenix-channels-kotlin/src/test/kotlin/io/phoenixchannels/kotlin/examples");

  @ParameterizedTest(name = "{1} in {0}")
  @CsvSource({
      "QuickStart.java, quick-start",
      "ConsoleChat.java, console-chat",
      "PresenceList.java, presence-list",
      "TypedPayloads.java, typed",
      "EventStream.java, stream",
      "CallbackExecutors.java, swing",
      "CallbackExecutors.java, frame-queue",
      "ChatScreen.java, android",
      "ManySockets.java, netty",
      "Transports.java, transports"
  })
  void readmeCodeIsTheCompiledExample(String file, String name) throws IOException {
    assertThat(normalize(readmeBlock(name))).isEqualTo(normalize(marked(file, name)));
  }

  @Test
  void everyExampleBlockOfTheReadmeIsChecked() throws IOException {
    Matcher names = Pattern.compile("<!-- example:([a-z-]+) -->").matcher(Files.readString(README));
    List<String> inReadme = names.results().map(result -> result.group(1)).collect(Collectors.toList());
    assertThat(inReadme).containsExactlyInAnyOrder("quick-start", "console-chat", "presence-list", "typed",
        "stream", "swing", "frame-queue", "android", "test-server", "netty", "transports", "kotlin");
  }

  @Test
  void testServerExampleIsTheCompiledTest() throws IOException {
    assertThat(normalize(readmeBlock("test-server")))
        .isEqualTo(normalize(marked(TEST_SOURCES, "ChatRoomTest.java", "test-server")));
  }

  @Test
  void kotlinExampleIsTheCompiledViewModel() throws IOException {
    assertThat(normalize(readmeBlock("kotlin", "kotlin")))
        .isEqualTo(normalize(marked(KOTLIN_SOURCES, "ChatViewModel.kt", "kotlin")));
  }

  /** The fenced java block that follows {@code <!-- example:NAME -->} in the README. */
  static String readmeBlock(String name) throws IOException {
    return readmeBlock(name, "java");
  }

  /** The fenced block of a language that follows {@code <!-- example:NAME -->} in the README. */
  static String readmeBlock(String name, String language) throws IOException {
    String readme = Files.readString(README);
    Matcher block = Pattern.compile("<!-- example:" + Pattern.quote(name) + " -->\\s*```" + language
        + "\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(block.find()).as("README has a " + language + " block after <!-- example:" + name + " -->")
        .isTrue();
    return block.group(1);
  }

  /** The lines of an example between {@code README:NAME:begin} and {@code README:NAME:end}. */
  static String marked(String file, String name) throws IOException {
    return marked(SOURCES, file, name);
  }

  /** The same, for a file in another source directory. */
  static String marked(Path directory, String file, String name) throws IOException {
    List<String> lines = Files.readAllLines(directory.resolve(file));
    int begin = indexOf(lines, "// README:" + name + ":begin");
    int end = indexOf(lines, "// README:" + name + ":end");
    return String.join("\n", lines.subList(begin + 1, end));
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("marker not found: " + marker);
  }

  /** Removes the common indentation and blank edges, so the README may indent less than the source. */
  static String normalize(String code) {
    List<String> lines = code.lines().collect(Collectors.toList());
    while (!lines.isEmpty() && lines.get(0).isBlank()) {
      lines.remove(0);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    int indent = lines.stream().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    return lines.stream().map(line -> line.isBlank() ? "" : line.substring(indent).stripTrailing())
        .collect(Collectors.joining("\n"));
  }
}
