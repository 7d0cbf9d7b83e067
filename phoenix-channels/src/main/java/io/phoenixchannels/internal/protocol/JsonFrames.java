package io.phoenixchannels.internal.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.phoenixchannels.Message;
import io.phoenixchannels.ProtocolException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The two JSON layouts of Phoenix messages, written and read with Jackson's streaming API:
 * V2 {@code [join_ref, ref, topic, event, payload]} and V1 {@code {"topic", "event", "payload", "ref",
 * "join_ref"}}. The same layouts serve both directions, so the test server uses these too.
 */
public final class JsonFrames {
  private JsonFrames() {}

  /** Writes a V2 array; {@code payloadJson} is one JSON value, already written by Jackson. */
  public static String encodeV2(
      ObjectMapper mapper, String joinRef, String ref, String topic, String event, String payloadJson) {
    StringWriter out = new StringWriter(32 + topic.length() + event.length() + payloadJson.length());
    try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
      gen.writeStartArray();
      writeNullableString(gen, joinRef);
      writeNullableString(gen, ref);
      gen.writeString(topic);
      gen.writeString(event);
      gen.writeRawValue(payloadJson);
      gen.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  /**
   * Writes a V1 object; {@code payloadJson} is one JSON value, already written by Jackson. A {@code null} join_ref
   * is left out, as phoenix.js leaves it out of its heartbeat.
   */
  public static String encodeV1(
      ObjectMapper mapper, String joinRef, String ref, String topic, String event, String payloadJson) {
    StringWriter out = new StringWriter(64 + topic.length() + event.length() + payloadJson.length());
    try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("topic", topic);
      gen.writeStringField("event", event);
      gen.writeFieldName("payload");
      gen.writeRawValue(payloadJson);
      gen.writeFieldName("ref");
      writeNullableString(gen, ref);
      if (joinRef != null) {
        // phoenix.js's V1 heartbeat has no join_ref field at all, and Phoenix's V1 frames never carry one.
        gen.writeStringField("join_ref", joinRef);
      }
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Reads a V2 array.
   *
   * @throws ProtocolException if the text is not JSON or not a five-element array of the right types
   */
  public static Message decodeV2(ObjectMapper mapper, String text) {
    try (JsonParser p = mapper.createParser(text)) {
      expect(p.nextToken() == JsonToken.START_ARRAY, "expected a JSON array", text);
      String joinRef = readRef(p, "join_ref", text);
      String ref = readRef(p, "ref", text);
      String topic = readString(p, "topic", text);
      String event = readString(p, "event", text);
      JsonToken payloadToken = p.nextToken();
      expect(payloadToken != null && payloadToken != JsonToken.END_ARRAY, "missing payload", text);
      JsonNode payload = readValue(mapper, p);
      expect(p.nextToken() == JsonToken.END_ARRAY, "expected 5 elements", text);
      expect(p.nextToken() == null, "trailing content after the array", text);
      return new Message(joinRef, ref, topic, event, payload);
    } catch (IOException e) {
      throw new ProtocolException("invalid JSON frame: " + abbreviate(text), e);
    }
  }

  /**
   * Reads a V1 object; unknown fields are ignored, {@code ref} and {@code join_ref} may be absent.
   *
   * @throws ProtocolException if the text is not JSON or lacks topic, event or payload
   */
  public static Message decodeV1(ObjectMapper mapper, String text) {
    try (JsonParser p = mapper.createParser(text)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, "expected a JSON object", text);
      String joinRef = null;
      String ref = null;
      String topic = null;
      String event = null;
      JsonNode payload = null;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        expect(t == JsonToken.FIELD_NAME, "expected a field name", text);
        String field = p.currentName();
        switch (field) {
          case "join_ref" -> joinRef = readRef(p, field, text);
          case "ref" -> ref = readRef(p, field, text);
          case "topic" -> topic = readString(p, field, text);
          case "event" -> event = readString(p, field, text);
          case "payload" -> {
            p.nextToken();
            payload = readValue(mapper, p);
          }
          default -> {
            p.nextToken();
            p.skipChildren();
          }
        }
      }
      expect(p.nextToken() == null, "trailing content after the object", text);
      expect(topic != null, "missing topic", text);
      expect(event != null, "missing event", text);
      expect(payload != null, "missing payload", text);
      return new Message(joinRef, ref, topic, event, payload);
    } catch (IOException e) {
      throw new ProtocolException("invalid JSON frame: " + abbreviate(text), e);
    }
  }

  private static JsonNode readValue(ObjectMapper mapper, JsonParser p) throws IOException {
    JsonNode value = mapper.readValue(p, JsonNode.class);
    return value == null ? NullNode.getInstance() : value;
  }

  private static String readRef(JsonParser p, String name, String text) throws IOException {
    JsonToken t = p.nextToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    // Phoenix echoes refs as the client sent them; other clients send numbers, so accept those as text.
    if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
      expect(false, name + " must be a string or null", text); // the message is built only when it is thrown
    }
    return p.getText();
  }

  private static String readString(JsonParser p, String name, String text) throws IOException {
    if (p.nextToken() != JsonToken.VALUE_STRING) {
      expect(false, name + " must be a string", text); // the message is built only when it is thrown
    }
    return p.getText();
  }

  private static void writeNullableString(JsonGenerator gen, String value) throws IOException {
    if (value == null) {
      gen.writeNull();
    } else {
      gen.writeString(value);
    }
  }

  private static void expect(boolean condition, String problem, String text) {
    if (!condition) {
      throw new ProtocolException("malformed frame (" + problem + "): " + abbreviate(text));
    }
  }

  /** Shortens frame text for error messages, so a huge frame does not flood logs. */
  public static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " chars)";
  }
}
