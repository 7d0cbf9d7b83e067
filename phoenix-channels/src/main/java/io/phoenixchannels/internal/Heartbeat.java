package io.phoenixchannels.internal;

import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.EventLoop;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PushTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A socket's heartbeats and pings: messages to the server's {@code phoenix} topic whose replies show the link
 * alive. A heartbeat goes out an interval after the previous one was answered, and one unanswered within the
 * timeout declares the connection dead (a link that swallows heartbeats carries nothing else either). A
 * {@linkplain #ping ping} is a heartbeat whose round trip a user waits for; the long-poll fallback's probe is one
 * whose reply the fallback watches. Lives on the socket's event loop: every method is called there.
 */
public final class Heartbeat {
  public static final String TOPIC = "phoenix";
  public static final String EVENT = "heartbeat";

  /** Sends a heartbeat message on the current connection. */
  @FunctionalInterface
  public interface Sender {
    /** Sends one heartbeat and returns its ref. */
    String send();
  }

  private final EventLoop loop;
  private final CallbackDispatcher dispatcher;
  private final Duration interval;
  private final Duration timeout;
  private final Duration pingTimeout;
  private final Sender sender;
  private final Consumer<ConnectionException> connectionDead;
  private final Map<String, PendingPing> pings = new HashMap<>();
  private String pendingRef;
  private EventLoop.Cancellable nextBeat;
  private EventLoop.Cancellable replyDeadline;

  /**
   * @param pingTimeout how long a ping waits for its reply
   * @param connectionDead told when a heartbeat went unanswered; the heartbeats have stopped by then
   */
  public Heartbeat(EventLoop loop, CallbackDispatcher dispatcher, Duration interval, Duration timeout,
      Duration pingTimeout, Sender sender, Consumer<ConnectionException> connectionDead) {
    this.loop = loop;
    this.dispatcher = dispatcher;
    this.interval = interval;
    this.timeout = timeout;
    this.pingTimeout = pingTimeout;
    this.sender = sender;
    this.connectionDead = connectionDead;
  }

  /** A connection opened: the first heartbeat goes out an interval from now, if its transport needs them. */
  public void start(boolean transportNeedsHeartbeats) {
    stop();
    if (transportNeedsHeartbeats) {
      nextBeat = loop.schedule(this::beat, interval);
    }
  }

  /** The connection is closing or gone: no more heartbeats, and no verdict on the one in flight. */
  public void stop() {
    pendingRef = null;
    if (nextBeat != null) {
      nextBeat.cancel();
      nextBeat = null;
    }
    if (replyDeadline != null) {
      replyDeadline.cancel();
      replyDeadline = null;
    }
  }

  /** A message with a ref arrived: it may answer the heartbeat or a ping. */
  public void replied(String ref) {
    if (ref.equals(pendingRef)) {
      stop();
      nextBeat = loop.schedule(this::beat, interval);
    }
    PendingPing ping = pings.remove(ref);
    if (ping != null) {
      ping.timer.cancel();
      Duration roundTrip = Duration.ofNanos(loop.nanoTime() - ping.startNanos);
      dispatcher.dispatch(() -> ping.future.complete(roundTrip));
    }
  }

  /** Sends a heartbeat now and returns its ref, for a caller that watches the reply itself. */
  public String probe() {
    return sender.send();
  }

  /** Measures a round trip into {@code result}, which fails at once when {@code connected} is false. */
  public void ping(GuardedFuture<Duration> result, boolean connected) {
    if (!connected) {
      dispatcher.dispatch(() -> result.completeExceptionally(new PhoenixException("cannot ping: not connected")));
      return;
    }
    String ref = sender.send();
    EventLoop.Cancellable timer = loop.schedule(() -> {
      if (pings.remove(ref) != null) {
        dispatcher.dispatch(() -> result.completeExceptionally(new PushTimeoutException(TOPIC, EVENT, pingTimeout)));
      }
    }, pingTimeout);
    pings.put(ref, new PendingPing(loop.nanoTime(), result, timer));
  }

  /** Fails every ping still waiting: their replies cannot come any more. */
  public void failPings(String why) {
    for (PendingPing ping : pings.values()) {
      ping.timer.cancel();
      dispatcher.dispatch(() -> ping.future.completeExceptionally(new PhoenixException("ping failed: " + why)));
    }
    pings.clear();
  }

  private void beat() {
    nextBeat = null;
    pendingRef = sender.send();
    replyDeadline = loop.schedule(this::unanswered, timeout);
  }

  private void unanswered() {
    replyDeadline = null;
    if (pendingRef == null) {
      return;
    }
    stop();
    connectionDead.accept(new ConnectionException("heartbeat timeout: no reply within " + timeout.toMillis()
        + " ms; aborting the connection and reconnecting", -1, null));
  }

  private record PendingPing(long startNanos, GuardedFuture<Duration> future, EventLoop.Cancellable timer) {}
}
