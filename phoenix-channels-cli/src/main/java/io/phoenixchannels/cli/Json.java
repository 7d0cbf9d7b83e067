package io.phoenixchannels.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

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
   * @throws IllegalArgumentException naming what is wrong with it
   */
  static JsonNode parse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("invalid JSON '" + text + "': it is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON '" + text + "': " + e.getOriginalMessage(), e);
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
