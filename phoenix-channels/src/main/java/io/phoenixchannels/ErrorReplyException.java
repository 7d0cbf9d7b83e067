package io.phoenixchannels;

/**
 * Completes a {@linkplain Push#toFuture(Class) typed push future} when the server answered with an {@code "error"}
 * reply: a refused join, a channel's {@code {:reply, {:error, map}, socket}}, Phoenix's {@code "unmatched topic"}.
 * The reply is kept, so the error's response can be read as a type too: {@code e.reply().as(Problem.class)}.
 */
public final class ErrorReplyException extends PhoenixException {
  private static final long serialVersionUID = 1L;

  private final transient Reply reply;

  /**
   * Creates the exception.
   *
   * @param topic the channel topic
   * @param event the pushed event
   * @param reply the error reply
   */
  public ErrorReplyException(String topic, String event, Reply reply) {
    super("'" + event + "' on '" + topic + "' got an error reply: " + abbreviate(reply.response().toString()));
    this.reply = reply;
  }

  /**
   * Returns the server's reply.
   *
   * @return the reply, whose status is {@code "error"} (or another non-ok status the server chose)
   */
  public Reply reply() {
    return reply;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}
