package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event a client pushed to a joined channel, as {@link ChannelHandler#handleIn} sees it. Valid during the call;
 * {@link #deferReply()} keeps a handle for answering later.
 */
public interface InboundEvent {
  /**
   * Returns the event name.
   *
   * @return the event, for example {@code "new_msg"}
   */
  String event();

  /**
   * Returns the payload: JSON, or a Jackson {@link com.fasterxml.jackson.databind.node.BinaryNode} for a binary
   * frame ({@link #isBinary()}).
   *
   * @return the payload, never {@code null}
   */
  JsonNode payload();

  /**
   * Tells whether the client sent a binary frame.
   *
   * @return true for a binary payload
   */
  boolean isBinary();

  /**
   * Returns the client's message reference, which the reply carries.
   *
   * @return the ref, or {@code null} when the client sent none
   */
  String ref();

  /**
   * Returns the join reference the client sent with the push.
   *
   * @return the join_ref, or {@code null}
   */
  String joinRef();

  /**
   * Returns the channel the event was pushed to.
   *
   * @return the channel
   */
  ServerChannel channel();

  /**
   * Takes over the reply, to send it later or from another thread ({@code socket_ref} in Phoenix). Return {@link
   * HandleResult#noReply()} from the handler then.
   *
   * @return a handle answering this event once
   */
  DeferredReply deferReply();
}
