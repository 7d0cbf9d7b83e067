package io.phoenixchannels.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON bodies Phoenix answers long-poll requests with (HTTP 200 every time), built with Jackson. */
public final class LongPollBodies {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private LongPollBodies() {}

  /** A session opened: {@code {"messages":[],"status":410,"token":T}}. */
  public static String opened(String token) {
    return withMessages(410, token);
  }

  /** A poll answered with messages: {@code {"messages":[...],"status":200,"token":T}}. */
  public static String messages(String token, String... frames) {
    return withMessages(200, token, frames);
  }

  /** An idle poll at the end of the window: {@code {"messages":[],"status":204,"token":T}}. */
  public static String idle(String token) {
    return withMessages(204, token);
  }

  /** A bare status: {@code {"status":n}}, as a refused connect (403) or an acknowledged POST (200). */
  public static String status(int status) {
    return MAPPER.createObjectNode().put("status", status).toString();
  }

  /** Any poll answer. */
  public static String withMessages(int status, String token, String... frames) {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode messages = body.putArray("messages");
    for (String frame : frames) {
      messages.add(frame);
    }
    body.put("status", status);
    if (token != null) {
      body.put("token", token);
    }
    return body.toString();
  }
}
