package io.phoenixchannels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a {@link Push}: the server's reply, or a timeout, or a failure on this side.
 *
 * <ul>
 *   <li>{@code "ok"} and {@code "error"} come from the server: {@code {:reply, {:ok, map}, socket}} in the channel,
 *       a refused join ({@code {:error, reason}}), or Phoenix's own {@code {"reason":"unmatched topic"}}.</li>
 *   <li>{@code "timeout"}: no reply arrived within the push's timeout; the response is an empty object.</li>
 *   <li>{@code "failed"}: the push never reached a server (a full buffer, a socket or channel closed before it
 *       was sent), so no server answered it; its response is {@code {"reason": "..."}} and {@link #failure()}
 *       holds the exception that says why. Only this status has a failure: an {@code "error"} always comes from
 *       a server.</li>
 * </ul>
 *
 * <p>Replies are immutable and safe to keep and to pass between threads.
 */
public final class Reply {
  /** The status of a successful reply. */
  public static final String OK = "ok";
  /** The status of a server's error reply: the server refused the join or the push. */
  public static final String ERROR = "error";
  /** The status of a push that never reached a server: this client could not send it ({@link #failure()}). */
  public static final String FAILED = "failed";
  /** The status of a push that got no reply in time. */
  public static final String TIMEOUT = "timeout";

  private final String status;
  private final JsonNode response;
  private final PhoenixException failure;
  private final ObjectMapper mapper;

  Reply(String status, JsonNode response, PhoenixException failure, ObjectMapper mapper) {
    this.status = Objects.requireNonNull(status, "status");
    this.response = response == null ? JsonNodeFactory.instance.objectNode() : response;
    this.failure = failure;
    this.mapper = mapper;
  }

  static Reply timeout(ObjectMapper mapper) {
    return new Reply(TIMEOUT, null, null, mapper);
  }

  static Reply failed(PhoenixException failure, ObjectMapper mapper) {
    return new Reply(FAILED, JsonNodeFactory.instance.objectNode().put("reason", failure.getMessage()), failure,
        mapper);
  }

  /**
   * Returns the status: {@code "ok"}, {@code "error"}, {@code "timeout"}, {@code "failed"}, or whatever other
   * status a server sent.
   *
   * @return the status
   */
  public String status() {
    return status;
  }

  /**
   * Returns the response: the map the server replied with (an empty object for a bare {@code :ok}); for a binary
   * reply a {@link com.fasterxml.jackson.databind.node.BinaryNode}.
   *
   * @return the response, never {@code null}
   */
  public JsonNode response() {
    return response;
  }

  /**
   * Tells whether the status is {@code "ok"}.
   *
   * @return true for an ok reply
   */
  public boolean isOk() {
    return OK.equals(status);
  }

  /**
   * Converts the response to a type with the socket's {@link ObjectMapper}, for example a record.
   *
   * @param type the target type; {@code byte[].class} gives the bytes of a binary reply
   * @param <T> the target type
   * @return the converted response
   * @throws IllegalArgumentException if the response does not fit the type
   */
  public <T> T as(Class<T> type) {
    try {
      return mapper.treeToValue(response, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "reply response cannot be read as " + type.getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Returns why this client could not deliver the push, when that is what ended it.
   *
   * @return the failure, or empty for a server reply or a timeout
   */
  public Optional<PhoenixException> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public String toString() {
    return "Reply{" + status + ", " + response + (failure == null ? "" : ", failure=" + failure.getMessage()) + "}";
  }
}
