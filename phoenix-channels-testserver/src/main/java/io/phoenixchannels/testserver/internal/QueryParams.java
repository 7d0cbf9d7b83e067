package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a URL query as Plug does: {@code a=1&b[c]=2&d[]=3} becomes {@code {"a":"1","b":{"c":"2"},"d":["3"]}};
 * empty segments are skipped, a later value for the same key wins.
 */
final class QueryParams {
  private QueryParams() {}

  /** Decodes a raw (still percent-encoded) query; {@code null} gives an empty object. */
  static ObjectNode parse(String rawQuery) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String segment : rawQuery.split("&")) {
      if (segment.isEmpty()) {
        continue;
      }
      int eq = segment.indexOf('=');
      String key = decode(eq < 0 ? segment : segment.substring(0, eq));
      String value = eq < 0 ? "" : decode(segment.substring(eq + 1));
      put(params, path(key), value);
    }
    return params;
  }

  /** {@code b[c][]} becomes {@code ["b", "c", ""]}; a key that does not parse as brackets stays whole. */
  private static List<String> path(String key) {
    List<String> parts = new ArrayList<>();
    int open = key.indexOf('[');
    if (open <= 0 || !key.endsWith("]")) {
      parts.add(key);
      return parts;
    }
    parts.add(key.substring(0, open));
    String rest = key.substring(open);
    while (!rest.isEmpty()) {
      int close = rest.indexOf(']');
      if (!rest.startsWith("[") || close < 0) {
        return List.of(key);
      }
      parts.add(rest.substring(1, close));
      rest = rest.substring(close + 1);
    }
    return parts;
  }

  private static void put(ObjectNode target, List<String> path, String value) {
    ObjectNode node = target;
    for (int i = 0; i < path.size() - 1; i++) {
      String name = path.get(i);
      String next = path.get(i + 1);
      if (next.isEmpty()) {
        JsonNode existing = node.get(name);
        ArrayNode array = existing instanceof ArrayNode a ? a : node.putArray(name);
        array.add(value);
        return;
      }
      JsonNode existing = node.get(name);
      node = existing instanceof ObjectNode o ? o : node.putObject(name);
    }
    node.put(path.get(path.size() - 1), value);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text; // a stray '%' stays as it is, as Plug would not crash the socket over it either
    }
  }
}
