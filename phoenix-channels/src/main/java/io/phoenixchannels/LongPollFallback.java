package io.phoenixchannels;

import io.phoenixchannels.internal.log.Log;
import io.phoenixchannels.internal.log.Log.Level;
import io.phoenixchannels.transport.Transport;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A socket's choice between its WebSocket (the primary transport) and long-poll, phoenix.js's {@code
 * connectWithFallback}: the WebSocket must open and answer a first heartbeat (a probe sent as it opens) within the
 * fallback time, counted from {@link PhoenixSocket#connect()} across reconnect attempts; otherwise, or as soon as
 * it fails to open, the socket switches to long-poll for the rest of its life. A long-poll connection that opens
 * while the WebSocket never passed the probe is remembered in the {@link FallbackMemory}, and sockets that find
 * their endpoint there skip the WebSocket.
 *
 * <p>Deliberate differences from phoenix.js: a WebSocket that fails because nothing listens on the port (a
 * refused TCP connection) is retried instead of abandoned, since long-poll would meet the same closed port, and
 * the next attempt starts the fallback time afresh; the
 * fallback time runs from the connect across reconnects, so a WebSocket that keeps opening and dying before it
 * answers cannot postpone the switch forever; and once the WebSocket passed its probe, later outages (a server
 * restart) reconnect over the WebSocket instead of downgrading a working socket.
 *
 * <p>Lives on the socket's event loop: every method is called there, and its timer runs there.
 */
final class LongPollFallback {
  private final EventLoop loop;
  private final Transport.Factory primary;
  private final Transport.Factory longPoll;
  private final Duration after;
  private final FallbackMemory memory;
  private final URI endpoint;
  private final Log logger;
  private final Consumer<PhoenixException> switchNow;

  private boolean onLongPoll;
  private boolean attemptOnLongPoll;
  private boolean primaryProven;
  private boolean probeSent;
  private boolean switchPending;
  private boolean refusedBefore;
  private String probeRef;
  private EventLoop.Cancellable deadline;

  /**
   * Creates the choice for one socket.
   *
   * @param switchNow abandons the current connection attempt (or the wait before the next one) so that the socket
   *     connects again at once, which it then does over long-poll; called from the deadline timer
   */
  LongPollFallback(EventLoop loop, Transport.Factory primary, Transport.Factory longPoll, Duration after,
      FallbackMemory memory, URI endpoint, Log logger, Consumer<PhoenixException> switchNow) {
    this.loop = loop;
    this.primary = primary;
    this.longPoll = longPoll;
    this.after = after;
    this.memory = memory;
    this.endpoint = endpoint;
    this.logger = logger;
    this.switchNow = switchNow;
  }

  /** The factory of the next connection attempt; the first attempt over the WebSocket starts the fallback time. */
  Transport.Factory factoryForAttempt() {
    switchPending = false;
    if (!onLongPoll && !primaryProven && memory.usesLongPoll(endpoint)) {
      onLongPoll = true;
      log(() -> "connecting with long-poll: the fallback memory has it for " + endpoint.getHost());
    }
    attemptOnLongPoll = onLongPoll;
    if (onLongPoll) {
      return longPoll;
    }
    if (!primaryProven && (deadline == null || refusedBefore)) {
      // A port that refused the last attempt restarts the time: a server still starting is not a blocked WebSocket.
      cancelDeadline();
      deadline = loop.schedule(this::expired, after);
    }
    refusedBefore = false;
    return primary;
  }

  /**
   * The current attempt's transport opened. Long-poll is remembered if the WebSocket never proved itself; a
   * WebSocket's first opening is probed: the probe (a heartbeat) must be answered within a fresh fallback time.
   *
   * @param sendProbe sends a heartbeat and returns its ref
   */
  void opened(Supplier<String> sendProbe) {
    if (attemptOnLongPoll) {
      if (!primaryProven) {
        memory.rememberLongPoll(endpoint);
      }
      return;
    }
    if (primaryProven || probeSent) {
      return;
    }
    probeSent = true;
    cancelDeadline();
    deadline = loop.schedule(this::expired, after);
    probeRef = sendProbe.get();
  }

  /** A message with this ref arrived: the probe's answer proves the WebSocket. */
  void replied(String ref) {
    if (ref.equals(probeRef)) {
      probeRef = null;
      primaryProven = true;
      cancelDeadline();
      log(() -> "the WebSocket answered its first heartbeat; no long-poll fallback needed");
    }
  }

  /**
   * The current connection ended without the user asking. Tells whether the socket should connect again at once,
   * over long-poll, rather than on its reconnect backoff: after the deadline abandoned the WebSocket, or when the
   * WebSocket failed before it opened (unless nothing listens on the port).
   *
   * @param opened whether the connection had opened
   * @param close how it closed
   */
  boolean switchesAfter(boolean opened, CloseEvent close) {
    if (switchPending) {
      switchPending = false;
      return true;
    }
    if (onLongPoll || attemptOnLongPoll || primaryProven || opened) {
      return false;
    }
    if (nothingListens(close.cause())) {
      refusedBefore = true;
      return false;
    }
    onLongPoll = true;
    cancelDeadline();
    log(() -> "the WebSocket failed before it opened (" + close.code()
        + (close.cause() == null ? "" : ", " + close.cause().getMessage()) + "); falling back to long-poll");
    return true;
  }

  /** The user disconnected: the fallback time stops, and starts again with the next connect. */
  void stop() {
    cancelDeadline();
    switchPending = false;
    probeRef = null;
    probeSent = false;
  }

  private void expired() {
    deadline = null;
    if (primaryProven || onLongPoll || refusedBefore) {
      return;
    }
    onLongPoll = true;
    switchPending = true;
    String why = "the WebSocket did not " + (probeSent ? "answer its first heartbeat" : "open") + " within "
        + after.toMillis() + " ms; falling back to long-poll";
    log(() -> why);
    switchNow.accept(new ConnectionException(why, -1, null));
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }

  /** A refused TCP connection: no server on the port, which long-poll would find closed as well. */
  private static boolean nothingListens(Throwable cause) {
    for (Throwable inner = cause; inner != null; inner = inner.getCause()) {
      if (inner instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  private void log(Supplier<String> message) {
    logger.log(Level.INFO, message);
  }
}
