package io.phoenixchannels.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one Jackson mapper of {@code phx}, and the two ways it shows JSON to a person. */
final class Json {
  /** Reads arguments and writes every JSON line. */
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /** Payloads at most this long stay on the line of their event; longer ones are indented below it. */
  private static final int INLINE_WIDTH = 72;

  private Json() {}

  /**
   * Parses a JSON argument.
   *
   * @throws IllegalArgumentException saying what is wrong with it, in JSON's terms and on one line (see
   *     {@link JsonProblem}); the caller names the argument
   */
  static JsonNode parse(String text) {
    try (JsonParser parser = MAPPER.createParser(text)) {
      // A key given twice, or text after the value, would silently drop part of what the user typed.
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonNode node = MAPPER.readTree(parser);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException(JsonProblem.empty());
      }
      long end = parser.currentLocation().getCharOffset();
      boolean more;
      try {
        more = parser.nextToken() != null;
      } catch (JsonProcessingException e) {
        more = true; // something after the value that is not even JSON
      }
      if (more) {
        throw new IllegalArgumentException(JsonProblem.trailing(text, (int) end));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(JsonProblem.describe(text, e), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a string", e);
    }
  }

  /** One line of JSON. */
  static String compact(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /** A short value on one line; a longer one pretty-printed over several, for reading. */
  static String readable(JsonNode value) {
    String compact = compact(value);
    if (compact.length() <= INLINE_WIDTH || !value.isContainerNode()) {
      return compact;
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
