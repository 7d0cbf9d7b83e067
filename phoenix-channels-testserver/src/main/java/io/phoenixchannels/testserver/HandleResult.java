package io.phoenixchannels.testserver;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ChannelHandler#handleIn} answers: {@code {:reply, {status, response}, socket}}, {@code {:noreply,
 * socket}}, {@code {:stop, :normal, socket}} or {@code {:stop, :normal, reply, socket}}. Immutable.
 */
public final class HandleResult {
  private static final HandleResult NO_REPLY = new HandleResult(null, null, false);
  private static final HandleResult STOP = new HandleResult(null, null, true);

  private final String status;
  private final Object response;
  private final boolean stop;

  private HandleResult(String status, Object response, boolean stop) {
    this.status = status;
    this.response = response;
    this.stop = stop;
  }

  /**
   * Replies {@code ok} with {@code {}}.
   *
   * @return the result
   */
  public static HandleResult ok() {
    return reply("ok", Map.of());
  }

  /**
   * Replies {@code ok} with a response.
   *
   * @param response anything Jackson can write; {@code byte[]} gives a binary reply over V2
   * @return the result
   */
  public static HandleResult ok(Object response) {
    return reply("ok", response);
  }

  /**
   * Replies {@code error} with a response.
   *
   * @param response anything Jackson can write, such as {@code Map.of("reason", "bad")}
   * @return the result
   */
  public static HandleResult error(Object response) {
    return reply("error", response);
  }

  /**
   * Replies with any status.
   *
   * @param status the status, such as {@code "ok"}
   * @param response anything Jackson can write
   * @return the result
   */
  public static HandleResult reply(String status, Object response) {
    return new HandleResult(Objects.requireNonNull(status, "status"), response, false);
  }

  /**
   * Sends no reply (the client's push times out unless a {@link DeferredReply} answers it).
   *
   * @return the result
   */
  public static HandleResult noReply() {
    return NO_REPLY;
  }

  /**
   * Stops the channel without a reply: the client gets {@code phx_close} and does not rejoin.
   *
   * @return the result
   */
  public static HandleResult stop() {
    return STOP;
  }

  /**
   * Stops the channel after this reply: the reply, then {@code phx_close}.
   *
   * @return a result that replies and stops
   */
  public HandleResult andStop() {
    return new HandleResult(status, response, true);
  }

  /**
   * Returns the reply status.
   *
   * @return the status, or empty for no reply
   */
  public Optional<String> replyStatus() {
    return Optional.ofNullable(status);
  }

  /**
   * Returns the reply's response.
   *
   * @return the response, or {@code null} for no reply
   */
  public Object response() {
    return response;
  }

  /**
   * Tells whether the channel stops.
   *
   * @return true to stop
   */
  public boolean stops() {
    return stop;
  }

  @Override
  public String toString() {
    return (status == null ? "noReply" : status + "(" + response + ")") + (stop ? " and stop" : "");
  }
}
