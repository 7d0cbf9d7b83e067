package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.Message;
import java.util.Objects;

/**
 * One frame a connection received or sent, as the server recorded it. Immutable.
 *
 * <p>Over long-poll, each NDJSON line of a POST is one inbound frame and each message handed to a poll one
 * outbound frame.
 */
public final class RecordedFrame {
  /** Which way a frame went, seen from the server. */
  public enum Direction {
    /** From the client to the server. */
    INBOUND,
    /** From the server to the client. */
    OUTBOUND
  }

  private final long connectionId;
  private final Direction direction;
  private final long nanoTime;
  private final String text;
  private final byte[] bytes;
  private final Message message;
  private final String decodeError;

  /**
   * Creates a record; the server does this for every frame.
   *
   * @param connectionId the connection's id
   * @param direction inbound or outbound
   * @param nanoTime {@link System#nanoTime()} when it was recorded
   * @param text the text of a text frame, or {@code null}
   * @param bytes the bytes of a binary frame, or {@code null}
   * @param message the frame as a message, or {@code null} if it could not be decoded
   * @param decodeError why it could not be decoded, or {@code null}
   */
  public RecordedFrame(long connectionId, Direction direction, long nanoTime, String text, byte[] bytes,
      Message message, String decodeError) {
    this.connectionId = connectionId;
    this.direction = Objects.requireNonNull(direction, "direction");
    this.nanoTime = nanoTime;
    this.text = text;
    this.bytes = bytes == null ? null : bytes.clone();
    this.message = message;
    this.decodeError = decodeError;
  }

  /**
   * Returns the id of the connection.
   *
   * @return the id
   */
  public long connectionId() {
    return connectionId;
  }

  /**
   * Returns which way the frame went.
   *
   * @return inbound (client to server) or outbound
   */
  public Direction direction() {
    return direction;
  }

  /**
   * Returns when the frame was recorded.
   *
   * @return a {@link System#nanoTime()} value
   */
  public long nanoTime() {
    return nanoTime;
  }

  /**
   * Tells whether this was a binary frame.
   *
   * @return true for binary
   */
  public boolean isBinary() {
    return bytes != null;
  }

  /**
   * Returns the text of a text frame.
   *
   * @return the text, or {@code null} for a binary frame
   */
  public String text() {
    return text;
  }

  /**
   * Returns the bytes of a binary frame.
   *
   * @return a copy, or {@code null} for a text frame
   */
  public byte[] bytes() {
    return bytes == null ? null : bytes.clone();
  }

  /**
   * Returns the frame as a message. An outbound reply is a {@code phx_reply} message whose payload is {@code
   * {"status": ..., "response": ...}}, as a client decodes it.
   *
   * @return the message, or {@code null} for an inbound frame that could not be decoded
   */
  public Message message() {
    return message;
  }

  /**
   * Returns why an inbound frame could not be decoded.
   *
   * @return the problem, or {@code null}
   */
  public String decodeError() {
    return decodeError;
  }

  /**
   * Returns the message's topic.
   *
   * @return the topic, or {@code null} if undecodable
   */
  public String topic() {
    return message == null ? null : message.topic();
  }

  /**
   * Returns the message's event.
   *
   * @return the event, or {@code null} if undecodable
   */
  public String event() {
    return message == null ? null : message.event();
  }

  /**
   * Returns the message's payload.
   *
   * @return the payload, or {@code null} if undecodable
   */
  public JsonNode payload() {
    return message == null ? null : message.payload();
  }

  @Override
  public String toString() {
    String frame = text != null ? abbreviate(text) : "<binary " + bytes.length + " bytes>";
    return "#" + connectionId + (direction == Direction.INBOUND ? " <- " : " -> ") + frame;
  }

  private static String abbreviate(String value) {
    return value.length() <= 300 ? value : value.substring(0, 300) + "... (" + value.length() + " chars)";
  }
}
