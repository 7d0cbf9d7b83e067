package io.phoenixchannels.benchmarks.workloads;

import java.util.LinkedHashMap;
import java.util.Map;

/** The payloads of the workloads; {@code phoenixjs/client.js} sends the same JSON. */
final class Payloads {
  /** The echo payload: {@code {"body":"the quick brown fox jumps over the lazy dog","n":42}}, 54 bytes of JSON. */
  static final Map<String, Object> ECHO = ordered("body", "the quick brown fox jumps over the lazy dog", "n", 42);
  /** The join params of every channel: no Presence tracking, so joins and broadcasts measure channels alone. */
  static final Map<String, Object> JOIN = ordered("presence", false);

  private Payloads() {}

  static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
