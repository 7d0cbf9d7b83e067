package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Compares a frame recorded from real Phoenix with the one the test server sent, mapping the values each server
 * makes up: {@code phx_ref}/{@code phx_ref_prev} and long-poll tokens one to one, {@code online_at} to a number.
 * Everything else must be equal; object key order does not matter (Phoenix's maps are unordered).
 */
final class ReplayMapping {
  private final Map<String, String> refs = new HashMap<>();
  private final Map<String, String> refsBack = new HashMap<>();
  private final Map<String, String> tokens = new HashMap<>();
  private final Map<String, String> tokensBack = new HashMap<>();

  /** Returns null when they match, else where they differ. */
  String mismatch(JsonNode expected, JsonNode actual) {
    return mismatch(expected, actual, "$");
  }

  /** Maps a long-poll token of the trace to ours; returns null when consistent, else why not. */
  String token(String traceToken, String actualToken) {
    return biject(tokens, tokensBack, traceToken, actualToken, "long-poll token");
  }

  private String mismatch(JsonNode expected, JsonNode actual, String path) {
    if (expected.isObject()) {
      if (!actual.isObject()) {
        return path + ": expected an object, got " + actual;
      }
      if (expected.size() != actual.size()) {
        return path + ": expected fields " + names(expected) + ", got " + names(actual);
      }
      for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        JsonNode value = actual.get(field);
        if (value == null) {
          return path + ": missing field " + field + " (got " + names(actual) + ")";
        }
        String problem = switch (field) {
          case "phx_ref", "phx_ref_prev" -> value.isTextual() && expected.get(field).isTextual()
              ? biject(refs, refsBack, expected.get(field).asText(), value.asText(), path + "." + field)
              : path + "." + field + ": expected a string, got " + value;
          case "online_at" -> value.isIntegralNumber() ? null : path + ".online_at: expected a number, got " + value;
          default -> mismatch(expected.get(field), value, path + "." + field);
        };
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }
    if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        return path + ": expected " + expected + ", got " + actual;
      }
      for (int i = 0; i < expected.size(); i++) {
        String problem = mismatch(expected.get(i), actual.get(i), path + "[" + i + "]");
        if (problem != null) {
          return problem;
        }
      }
      return null;
    }
    return expected.equals(actual) ? null : path + ": expected " + expected + ", got " + actual;
  }

  private static String biject(Map<String, String> forward, Map<String, String> back, String expected,
      String actual, String what) {
    String mapped = forward.get(expected);
    String reverse = back.get(actual);
    if (mapped == null && reverse == null) {
      forward.put(expected, actual);
      back.put(actual, expected);
      return null;
    }
    if (actual.equals(mapped) && expected.equals(reverse)) {
      return null;
    }
    return what + ": trace value " + expected + " was " + mapped + " before, now " + actual
        + " (which stood for " + reverse + ")";
  }

  private static String names(JsonNode object) {
    StringBuilder out = new StringBuilder("[");
    object.fieldNames().forEachRemaining(name -> out.append(out.length() > 1 ? ", " : "").append(name));
    return out.append(']').toString();
  }
}
