package io.phoenixchannels.internal.protocol;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One WebSocket frame: text or binary. Binary frames hold a read-only buffer; each reader takes a
 * {@link #binary()} duplicate, so a frame can be read more than once.
 */
public final class Frame {
  private final String text;
  private final ByteBuffer binary;

  private Frame(String text, ByteBuffer binary) {
    this.text = text;
    this.binary = binary;
  }

  /** A text frame. */
  public static Frame text(String text) {
    return new Frame(Objects.requireNonNull(text, "text"), null);
  }

  /** A binary frame over the given bytes (not copied: the caller gives them up). */
  public static Frame binary(byte[] bytes) {
    return new Frame(null, ByteBuffer.wrap(bytes).asReadOnlyBuffer());
  }

  /** A binary frame over the remaining bytes of a buffer (not copied). */
  public static Frame binary(ByteBuffer bytes) {
    return new Frame(null, bytes.asReadOnlyBuffer());
  }

  public boolean isText() {
    return text != null;
  }

  /** The text of a text frame, or {@code null}. */
  public String text() {
    return text;
  }

  /** A fresh read-only view of a binary frame's bytes, or {@code null} for a text frame. */
  public ByteBuffer binary() {
    return binary == null ? null : binary.duplicate();
  }

  /** The frame's size in bytes (UTF-16 chars for text, which is what a limit on text needs to be cheap). */
  public int size() {
    return text != null ? text.length() : binary.remaining();
  }

  @Override
  public String toString() {
    return text != null ? text : "<binary " + binary.remaining() + " bytes>";
  }
}
