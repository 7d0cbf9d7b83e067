package io.phoenixchannels.testserver;

import java.util.Map;

/**
 * What {@link ChannelHandler#join} decided: {@code {:ok, reply, socket}} or {@code {:error, reply}}. Immutable.
 */
public final class JoinResult {
  private final boolean ok;
  private final Object response;

  private JoinResult(boolean ok, Object response) {
    this.ok = ok;
    this.response = response;
  }

  /**
   * Joins, replying {@code {}}.
   *
   * @return the result
   */
  public static JoinResult ok() {
    return new JoinResult(true, Map.of());
  }

  /**
   * Joins, replying with a response.
   *
   * @param response anything Jackson can write (a {@code byte[]} gives a binary reply over V2)
   * @return the result
   */
  public static JoinResult ok(Object response) {
    return new JoinResult(true, response);
  }

  /**
   * Refuses the join with an error reply; the client's phoenix.js retries it on its rejoin backoff.
   *
   * @param response the reply, such as {@code Map.of("reason", "unauthorized")}
   * @return the result
   */
  public static JoinResult error(Object response) {
    return new JoinResult(false, response);
  }

  /**
   * Refuses the join with {@code {"reason": reason}}.
   *
   * @param reason the reason
   * @return the result
   */
  public static JoinResult refuse(String reason) {
    return error(Map.of("reason", reason));
  }

  /**
   * Tells whether the join succeeds.
   *
   * @return true for ok
   */
  public boolean isOk() {
    return ok;
  }

  /**
   * Returns the reply's response.
   *
   * @return the response object
   */
  public Object response() {
    return response;
  }

  @Override
  public String toString() {
    return (ok ? "ok(" : "error(") + response + ")";
  }
}
