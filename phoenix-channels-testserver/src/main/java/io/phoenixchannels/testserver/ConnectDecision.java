package io.phoenixchannels.testserver;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ConnectHandler} decided: accept the connection (with the socket id Phoenix's {@code id/1} would
 * return, and assigns), or refuse it (HTTP 403, as Phoenix answers {@code :error} from {@code connect/3}). Immutable.
 */
public final class ConnectDecision {
  private static final ConnectDecision ANONYMOUS = new ConnectDecision(true, null, Map.of());
  private static final ConnectDecision REFUSED = new ConnectDecision(false, null, Map.of());

  private final boolean accepted;
  private final String socketId;
  private final Map<String, Object> assigns;

  private ConnectDecision(boolean accepted, String socketId, Map<String, Object> assigns) {
    this.accepted = accepted;
    this.socketId = socketId;
    this.assigns = assigns;
  }

  /**
   * Accepts the connection as an anonymous socket (no socket id: it cannot be disconnected by id).
   *
   * @return the decision
   */
  public static ConnectDecision accept() {
    return ANONYMOUS;
  }

  /**
   * Accepts the connection with a socket id, such as {@code "users_socket:42"}; {@link
   * PhoenixTestServer#disconnect(String)} closes every connection with that id.
   *
   * @param socketId the id, or {@code null} for an anonymous socket
   * @return the decision
   */
  public static ConnectDecision accept(String socketId) {
    return new ConnectDecision(true, socketId, Map.of());
  }

  /**
   * Accepts the connection with a socket id and assigns, which channels see through {@link
   * ClientConnection#assigns()}.
   *
   * @param socketId the id, or {@code null} for an anonymous socket
   * @param assigns values for the channels; copied (null values are dropped)
   * @return the decision
   */
  public static ConnectDecision accept(String socketId, Map<String, ?> assigns) {
    Map<String, Object> copy = new LinkedHashMap<>();
    Objects.requireNonNull(assigns, "assigns").forEach((key, value) -> {
      if (value != null) {
        copy.put(key, value);
      }
    });
    return new ConnectDecision(true, socketId, Map.copyOf(copy));
  }

  /**
   * Refuses the connection: HTTP 403 on a WebSocket upgrade, {@code {"status":403}} on long-poll.
   *
   * @return the decision
   */
  public static ConnectDecision refuse() {
    return REFUSED;
  }

  /**
   * Tells whether the connection was accepted.
   *
   * @return true when accepted
   */
  public boolean isAccepted() {
    return accepted;
  }

  /**
   * Returns the socket id.
   *
   * @return the id, or empty for an anonymous or refused socket
   */
  public Optional<String> socketId() {
    return Optional.ofNullable(socketId);
  }

  /**
   * Returns the assigns.
   *
   * @return an immutable map
   */
  public Map<String, Object> assigns() {
    return assigns;
  }

  @Override
  public String toString() {
    return accepted ? "accept(" + socketId + ", " + assigns.keySet() + ")" : "refuse";
  }
}
