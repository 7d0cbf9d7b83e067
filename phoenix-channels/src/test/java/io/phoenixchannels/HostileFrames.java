package io.phoenixchannels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.internal.protocol.BinaryFrames;
import io.phoenixchannels.testing.ServerFrames;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of what a broken or hostile server may send: random text and bytes, valid frames mutated at random,
 * well-formed JSON with the wrong type in each position, huge lengths, invalid UTF-8, lying binary headers, and
 * valid frames for topics and refs the client does not know.
 *
 * <p>Most of these are raw strings and bytes on purpose: a hostile server does not use Jackson, and frames that
 * Jackson would refuse to write are the point. Where a frame is well-formed JSON, Jackson builds it.
 */
final class HostileFrames {
  /** The topic the client under attack has joined. */
  static final String TOPIC = ChannelHarness.TOPIC;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Byte sequences that are not UTF-8: a lone continuation byte, overlong forms, a surrogate, 0xFF, a cut-off. */
  private static final List<byte[]> INVALID_UTF8 = List.of(
      new byte[] {(byte) 0x80},
      new byte[] {(byte) 0xC0, (byte) 0xAF},
      new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
      new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      new byte[] {(byte) 0xFF, (byte) 0xFE},
      new byte[] {(byte) 0xC3, (byte) 0x28},
      new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      new byte[] {'o', 'k', (byte) 0xE2, (byte) 0x82});

  private HostileFrames() {}

  /** One frame from the server: text or binary, and which generator made it. */
  record HostileFrame(String kind, String text, byte[] binary) {
    static HostileFrame text(String kind, String text) {
      return new HostileFrame(kind, text, null);
    }

    static HostileFrame binary(String kind, byte[] bytes) {
      return new HostileFrame(kind, null, bytes);
    }

    boolean isText() {
      return text != null;
    }

    @Override
    public String toString() {
      String shown = isText() ? text : HexFormat.of().formatHex(binary);
      return kind + ": " + (shown.length() > 160 ? shown.substring(0, 160) + "... (" + shown.length() + ")" : shown);
    }
  }

  /** Any hostile frame, text or binary. */
  static Arbitrary<HostileFrame> any() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, randomText()),
        Tuple.of(4, mutatedText()),
        Tuple.of(4, wrongTypes()),
        Tuple.of(1, hugeText()),
        Tuple.of(2, randomBinary()),
        Tuple.of(3, lyingBinary()),
        Tuple.of(2, invalidUtf8Binary()),
        Tuple.of(3, strangers()));
  }

  // ---- text ----

  /** Any characters, including lone surrogates: what invalid UTF-8 becomes once a lenient decoder has read it. */
  static Arbitrary<HostileFrame> randomText() {
    return Arbitraries.strings().all().ofMaxLength(300).map(text -> HostileFrame.text("random text", text));
  }

  /** A valid frame with a few random edits: characters replaced, inserted, deleted, or the frame cut short. */
  static Arbitrary<HostileFrame> mutatedText() {
    Arbitrary<String> base = Arbitraries.of(validTexts());
    Arbitrary<List<Edit>> edits = edit().list().ofMinSize(1).ofMaxSize(5);
    return Combinators.combine(base, edits).as((text, list) -> {
      StringBuilder out = new StringBuilder(text);
      for (Edit edit : list) {
        edit.applyTo(out);
      }
      return HostileFrame.text("mutated text", out.toString());
    });
  }

  /** Well-formed JSON of the wrong shape: a wrong type in one position, a wrong length, or no array at all. */
  static Arbitrary<HostileFrame> wrongTypes() {
    Arbitrary<HostileFrame> wrongPosition = Combinators.combine(Arbitraries.integers().between(0, 4), wrongValue(),
        Arbitraries.of("phx_reply", "phx_error", "phx_close", "presence_state", "presence_diff", "typed", "event"))
        .as((position, value, event) -> {
          ArrayNode frame = frame("1", "9", TOPIC, event, replyPayload("ok"));
          frame.set(position, value);
          return HostileFrame.text("wrong type at " + position, ChannelHarness.write(frame));
        });
    Arbitrary<HostileFrame> wrongLength = Arbitraries.integers().between(0, 8).filter(n -> n != 5).map(n -> {
      ArrayNode frame = NODES.arrayNode();
      for (int i = 0; i < n; i++) {
        frame.add(i < 4 ? NODES.textNode(List.of("1", "9", TOPIC, "phx_reply").get(i)) : replyPayload("ok"));
      }
      return HostileFrame.text("array of " + n, ChannelHarness.write(frame));
    });
    Arbitrary<HostileFrame> notAnArray = wrongValue().map(value ->
        HostileFrame.text("not an array", ChannelHarness.write(value)));
    Arbitrary<HostileFrame> wrongPayloads = Combinators.combine(
        Arbitraries.of("phx_reply", "phx_error", "presence_state", "presence_diff", "typed"), wrongValue())
        .as((event, payload) -> HostileFrame.text("wrong " + event + " payload",
            ChannelHarness.write(frame("1", "9", TOPIC, event, payload))));
    return Arbitraries.oneOf(wrongPosition, wrongLength, notAnArray, wrongPayloads);
  }

  /**
   * Sizes a parser must not choke on: deep nesting, long numbers, long strings, many elements. Jackson writes the
   * well-formed ones; the rest are raw strings on purpose: broken (unterminated, unclosed) or nested deeper than
   * Jackson itself agrees to write.
   */
  static Arbitrary<HostileFrame> hugeText() {
    return Arbitraries.of(
        HostileFrame.text("deep nesting", "[".repeat(100_000)),
        HostileFrame.text("deep nesting closed", "[".repeat(5_000) + "]".repeat(5_000)),
        HostileFrame.text("deep payload", "[null,null,\"" + TOPIC + "\",\"typed\"," + "{\"a\":".repeat(3_000)
            + "1" + "}".repeat(3_000) + "]"),
        HostileFrame.text("long number", ChannelHarness.write(frame(null, null, TOPIC, "typed",
            NODES.numberNode(new BigInteger("9".repeat(200_000)))))),
        HostileFrame.text("long exponent", "[null,null,\"" + TOPIC + "\",\"typed\",1e99999999999]"),
        HostileFrame.text("long ref", ChannelHarness.write(frame(null, "7".repeat(1_000_000), TOPIC, "phx_reply",
            replyPayload("ok")))),
        HostileFrame.text("long topic", ChannelHarness.write(frame(null, null, "t".repeat(1_000_000), "e",
            NODES.objectNode()))),
        HostileFrame.text("long string payload", ChannelHarness.write(frame(null, null, TOPIC, "typed",
            NODES.textNode("x".repeat(2_000_000))))),
        HostileFrame.text("many elements", ChannelHarness.write(frame(null, null, TOPIC, "typed",
            manyZeros(300_000)))),
        HostileFrame.text("unterminated string", "[null,null,\"" + TOPIC + "\",\"typed\",\"" + "x".repeat(100_000)));
  }

  // ---- binary ----

  static Arbitrary<HostileFrame> randomBinary() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(bytes ->
        HostileFrame.binary("random bytes", bytes));
  }

  /** Binary headers whose lengths do not match what follows: huge lengths, cut-off bodies, unknown kinds. */
  static Arbitrary<HostileFrame> lyingBinary() {
    Arbitrary<Integer> kind = Arbitraries.frequency(
        Tuple.of(3, 0), Tuple.of(3, 1), Tuple.of(3, 2),
        Tuple.of(1, 3), Tuple.of(1, 255));
    Arbitrary<byte[]> lengths = Arbitraries.integers().between(0, 255).list().ofMinSize(0).ofMaxSize(4)
        .map(list -> {
          byte[] bytes = new byte[list.size()];
          for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (int) list.get(i);
          }
          return bytes;
        });
    Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    return Combinators.combine(kind, lengths, body).as((k, header, rest) -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(k);
      out.writeBytes(header);
      out.writeBytes(rest);
      return HostileFrame.binary("lying binary header", out.toByteArray());
    });
  }

  /** A well-laid-out binary frame of each kind with one meta field that is not UTF-8. */
  static Arbitrary<HostileFrame> invalidUtf8Binary() {
    return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3),
        Arbitraries.of(INVALID_UTF8)).as((kind, field, invalid) -> {
          byte[][] meta = switch (kind) {
            case 0 -> new byte[][] {utf8("1"), utf8(TOPIC), utf8("typed")};
            case 1 -> new byte[][] {utf8("1"), utf8("9"), utf8(TOPIC), utf8("ok")};
            default -> new byte[][] {utf8(TOPIC), utf8("typed")};
          };
          meta[field % meta.length] = invalid;
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write(kind);
          for (byte[] part : meta) {
            out.write(part.length);
          }
          for (byte[] part : meta) {
            out.writeBytes(part);
          }
          out.writeBytes(new byte[] {1, 2, 3});
          return HostileFrame.binary("invalid UTF-8 in binary meta", out.toByteArray());
        });
  }

  // ---- valid frames the client has no use for ----

  /**
   * Valid frames for other topics, unknown refs, old join refs: replies nobody waits for, pushes and broadcasts
   * to topics never joined, {@code phx_close} and {@code phx_error} of a join that is not the current one.
   */
  static Arbitrary<HostileFrame> strangers() {
    Arbitrary<String> topic = Arbitraries.oneOf(Arbitraries.of(TOPIC, "room:other", "phoenix", "", " "),
        Arbitraries.strings().ofMaxLength(20));
    Arbitrary<String> ref = Arbitraries.oneOf(Arbitraries.of("0", "999999", "-1", "abc", "1.5"),
        Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25)).injectNull(0.2);
    Arbitrary<String> event = Arbitraries.oneOf(
        Arbitraries.of("phx_reply", "phx_close", "phx_error", "phx_join", "phx_leave", "heartbeat", "typed",
            "presence_state", "presence_diff"),
        Arbitraries.strings().alpha().ofMaxLength(12));
    Arbitrary<HostileFrame> text = Combinators.combine(ref, ref, topic, event, Arbitraries.of("ok", "error", "x"))
        .as((joinRef, messageRef, t, e, status) -> {
          String staleJoinRef = joinRef == null ? "stale" : "stale-" + joinRef;
          boolean ourTopic = TOPIC.equals(t);
          // A control message for our topic must come from an old join to be a stranger.
          String usedJoinRef = ourTopic && !e.equals("phx_reply") ? staleJoinRef : joinRef;
          JsonNode payload = e.equals("phx_reply") ? replyPayload(status) : NODES.objectNode();
          return HostileFrame.text("stranger " + e, ServerFrames.frame(usedJoinRef,
              ourTopic && e.equals("phx_reply") ? "unknown-" + messageRef : messageRef, t, e, payload));
        });
    Arbitrary<HostileFrame> binary = Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1)
        .ofMaxLength(20), Arbitraries.integers().between(0, 2)).as((otherTopic, kind) -> {
          String strangerTopic = "other:" + otherTopic;
          byte[] bytes = switch (kind) {
            case 0 -> BinaryFrames.encodeServerPush("5", strangerTopic, "bin",
                new byte[] {9});
            case 1 -> BinaryFrames.encodeReply("1", "424242", TOPIC, "ok",
                new byte[] {9});
            default -> BinaryFrames.encodeBroadcast(strangerTopic, "bin",
                new byte[] {9});
          };
          return HostileFrame.binary("stranger binary", bytes);
        });
    return Arbitraries.frequencyOf(Tuple.of(4, text), Tuple.of(1, binary));
  }

  // ---- building blocks ----

  /** Values of every JSON type but the expected one somewhere: numbers, booleans, null, objects, arrays. */
  private static Arbitrary<JsonNode> wrongValue() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
        Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
        Arbitraries.just((JsonNode) NODES.numberNode(new BigInteger("9".repeat(60)))),
        Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
        Arbitraries.just((JsonNode) NODES.nullNode()),
        Arbitraries.just((JsonNode) NODES.objectNode()),
        Arbitraries.just((JsonNode) NODES.arrayNode()),
        Arbitraries.strings().all().ofMaxLength(40).map(s -> (JsonNode) NODES.textNode(s)),
        Arbitraries.just((JsonNode) NODES.objectNode().put("status", 7).put("response", "x")),
        Arbitraries.just(NODES.objectNode().<JsonNode>set("metas", NODES.textNode("none"))),
        Arbitraries.just(NODES.objectNode().<JsonNode>set("joins", NODES.arrayNode().add(1))),
        Arbitraries.just(nested(50)));
  }

  private static JsonNode manyZeros(int count) {
    ArrayNode zeros = NODES.arrayNode(count);
    for (int i = 0; i < count; i++) {
      zeros.add(0);
    }
    return zeros;
  }

  private static JsonNode nested(int depth) {
    JsonNode node = NODES.arrayNode();
    for (int i = 0; i < depth; i++) {
      node = NODES.arrayNode().add(node);
    }
    return node;
  }

  private static List<String> validTexts() {
    ObjectNode presenceState = NODES.objectNode();
    presenceState.putObject("ivy").putArray("metas").addObject().put("phx_ref", "r1").put("name", "Ivy");
    ObjectNode presenceDiff = NODES.objectNode();
    presenceDiff.putObject("joins").putObject("jon").putArray("metas").addObject().put("phx_ref", "r2");
    presenceDiff.putObject("leaves");
    return List.of(
        ServerFrames.reply("1", "9", TOPIC, "ok", "{\"echo\":[1,2,{\"a\":null}]}"),
        ServerFrames.reply("1", "9", TOPIC, "error", "{\"reason\":\"bad\"}"),
        ServerFrames.push("1", TOPIC, "typed", "{\"value\":\"v\",\"n\":3}"),
        ServerFrames.broadcast(TOPIC, "news", "{\"text\":\"héllo ✓ 😀\"}"),
        ServerFrames.heartbeatReply("4"),
        ServerFrames.frame("1", null, TOPIC, "presence_state", presenceState),
        ServerFrames.frame(null, null, TOPIC, "presence_diff", presenceDiff),
        ServerFrames.frame("1", "1", TOPIC, "phx_error", NODES.objectNode().put("reason", "channel_crash")));
  }

  private static ArrayNode frame(String joinRef, String ref, String topic, String event, JsonNode payload) {
    ArrayNode frame = NODES.arrayNode();
    frame.add(joinRef);
    frame.add(ref);
    frame.add(topic);
    frame.add(event);
    frame.add(payload);
    return frame;
  }

  private static ObjectNode replyPayload(String status) {
    ObjectNode payload = NODES.objectNode().put("status", status);
    payload.putObject("response");
    return payload;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** One random edit of a frame's text. */
  private record Edit(int op, int position, int length, String chunk) {
    void applyTo(StringBuilder text) {
      int at = text.length() == 0 ? 0 : Math.floorMod(position, text.length() + 1);
      int end = Math.min(text.length(), at + length);
      switch (op) {
        case 0 -> text.replace(at, end, chunk);
        case 1 -> text.insert(at, chunk);
        case 2 -> text.delete(at, end);
        case 3 -> text.setLength(at);
        default -> text.insert(at, text.substring(at, end));
      }
    }
  }

  private static Arbitrary<Edit> edit() {
    Arbitrary<String> chunk = Arbitraries.oneOf(
        Arbitraries.of("\"", "[", "]", "{", "}", ",", ":", "null", "\\", "\\u", "\\ud800", "\u0000", "1e999",
            "-", "\"phx_reply\"", "\"phx_close\"", "\"phx_error\""),
        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4));
    return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 400),
        Arbitraries.integers().between(0, 6), chunk).as(Edit::new);
  }
}
