package io.phoenixchannels.testserver;

import io.phoenixchannels.Message;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Fault injection for the whole server, switched on and off at any time from any thread; it applies to frames
 * handled after the switch. Per-connection faults (close with a code, cut) are on {@link ClientConnection}, and
 * restarts on {@link PhoenixTestServer}.
 */
public interface Faults {
  /**
   * Loses client messages that match, as if the network dropped them: the server records them but does not handle
   * them. Lost heartbeats go unanswered, a lost {@code phx_leave} leaves the channel joined.
   *
   * @param message tests the client's message (topic, event, payload, refs)
   * @return this
   */
  Faults dropInbound(Predicate<Message> message);

  /**
   * Drops the replies to client messages that match: the server handles them but sends no {@code phx_reply}, so
   * the client's push (or join, or leave) times out. Heartbeats are governed by {@link #ignoreHeartbeats}.
   *
   * @param request tests the client's message (topic, event, payload)
   * @return this
   */
  Faults dropReplies(Predicate<Message> request);

  /**
   * Drops every reply to a client message other than a heartbeat's.
   *
   * @return this
   */
  default Faults dropReplies() {
    return dropReplies(message -> true);
  }

  /**
   * Delays the replies to client messages that match; other frames are not held back, so they may overtake.
   *
   * @param delay how long to hold each reply
   * @param request tests the client's message
   * @return this
   */
  Faults delayReplies(Duration delay, Predicate<Message> request);

  /**
   * Delays every reply to a client message other than a heartbeat's.
   *
   * @param delay how long to hold each reply
   * @return this
   */
  default Faults delayReplies(Duration delay) {
    return delayReplies(delay, message -> true);
  }

  /**
   * Stops (or resumes) answering heartbeats, so the client's heartbeat times out.
   *
   * @param ignore true to ignore them
   * @return this
   */
  Faults ignoreHeartbeats(boolean ignore);

  /**
   * Refuses new connections with an HTTP status: the WebSocket upgrade gets it, long-poll gets HTTP 200 with
   * {@code {"status": status}} as Phoenix answers. Open connections stay.
   *
   * @param httpStatus the status, such as 403 or 503
   * @return this
   */
  Faults refuseConnections(int httpStatus);

  /**
   * Accepts new connections again.
   *
   * @return this
   */
  Faults acceptConnections();

  /**
   * Refuses WebSocket upgrades with an HTTP status, before Phoenix's connect step, while long-poll is served: what a
   * proxy or a load balancer that blocks WebSockets does, for testing a client's long-poll fallback. Open
   * connections stay.
   *
   * @param httpStatus the status, such as 400, 403 or 502
   * @return this
   */
  Faults refuseWebSocketUpgrades(int httpStatus);

  /**
   * Leaves WebSocket upgrades unanswered, while long-poll is served: a proxy that swallows them, so the client's
   * WebSocket neither opens nor fails until it gives up. The upgrades held are answered 503 when WebSockets are
   * accepted again.
   *
   * @return this
   */
  Faults stallWebSocketUpgrades();

  /**
   * Answers WebSocket upgrades again after {@link #refuseWebSocketUpgrades} or {@link #stallWebSocketUpgrades}.
   *
   * @return this
   */
  Faults acceptWebSocketUpgrades();

  /** Cuts every open connection abruptly (see {@link ClientConnection#cut()}). */
  void cutAllConnections();

  /**
   * Switches every fault off: replies flow, heartbeats are answered, connections and WebSocket upgrades accepted.
   *
   * @return this
   */
  Faults reset();
}
