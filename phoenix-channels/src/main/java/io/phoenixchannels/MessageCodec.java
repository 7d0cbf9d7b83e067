package io.phoenixchannels;

import java.nio.ByteBuffer;

/**
 * A custom wire format, for a Phoenix endpoint that uses its own serializer (phoenix.js's {@code encode} and
 * {@code decode} options). Most applications never need one: the socket speaks Phoenix's V2 serializer by default
 * and V1 with {@link PhoenixSocket.Builder#vsn(String) vsn("1.0.0")}.
 *
 * <p>Outbound payloads reach {@link #encode} as Jackson trees, converted by the socket's {@code ObjectMapper} when
 * they are pushed ({@code byte[]} and {@link ByteBuffer} payloads as {@link
 * com.fasterxml.jackson.databind.node.BinaryNode}). Implementations must be thread-safe: {@link #encode} runs on
 * the socket's event loop and {@link #decode} on the transport's threads. A frame that cannot be decoded should
 * throw {@link ProtocolException}: the socket reports it and drops the frame.
 */
public interface MessageCodec {

  /**
   * Returns the {@code vsn} the socket sends in its URL; Phoenix picks the server's serializer by it.
   *
   * @return the version, for example {@code "2.0.0"}
   */
  String vsn();

  /**
   * Encodes a message to send.
   *
   * @param message the message; {@code joinRef} and {@code ref} may be {@code null}
   * @return a {@link String} for a text frame, or a {@code byte[]} or {@link ByteBuffer} for a binary frame
   */
  Object encode(Message message);

  /**
   * Decodes a text frame.
   *
   * @param text the frame
   * @return the message
   * @throws ProtocolException if the frame is malformed
   */
  Message decode(String text);

  /**
   * Decodes a binary frame.
   *
   * @param data the frame
   * @return the message
   * @throws ProtocolException if the frame is malformed
   */
  Message decode(ByteBuffer data);
}
