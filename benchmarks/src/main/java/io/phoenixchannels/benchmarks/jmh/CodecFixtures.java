package io.phoenixchannels.benchmarks.jmh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The messages the codec benchmarks read and write, as Phoenix sends them; every JSON text written by Jackson. */
final class CodecFixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String TOPIC = "room:lobby";
  static final String JOIN_REF = "1";
  static final String REF = "12345";
  /** The echo payload of the end-to-end workloads. */
  static final Map<String, Object> PAYLOAD = payload();
  static final String PAYLOAD_JSON = write(PAYLOAD);
  /** A reply to an echo push: {@code [join_ref, ref, topic, "phx_reply", {"status":"ok","response":payload}]}. */
  static final String REPLY_TEXT = write(List.of(JOIN_REF, REF, TOPIC, "phx_reply",
      Map.of("status", "ok", "response", PAYLOAD)));
  /** A server push: {@code [join_ref, null, topic, "tick", {"i": 7}]}. */
  static final String PUSH_TEXT = write(java.util.Arrays.asList(JOIN_REF, null, TOPIC, "tick", Map.of("i", 7)));
  /** 64 bytes for the binary frames. */
  static final byte[] BINARY_PAYLOAD = new byte[64];

  private CodecFixtures() {}

  private static Map<String, Object> payload() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("body", "the quick brown fox jumps over the lazy dog");
    payload.put("n", 42);
    return payload;
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
