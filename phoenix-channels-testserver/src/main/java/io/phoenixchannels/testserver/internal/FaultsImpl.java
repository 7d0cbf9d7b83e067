package io.phoenixchannels.testserver.internal;

import io.phoenixchannels.Message;
import io.phoenixchannels.testserver.Faults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The switches of {@link Faults}, read by the protocol code on every frame. Thread-safe. */
public final class FaultsImpl implements Faults {
  private final ServerCore core;
  private volatile Predicate<Message> dropInbound;
  private volatile Predicate<Message> dropReplies;
  private volatile Predicate<Message> delayReplies;
  private volatile Duration replyDelay;
  private volatile boolean ignoreHeartbeats;
  private volatile int refusalStatus;
  private volatile int webSocketRefusalStatus;
  private volatile boolean stallWebSocketUpgrades;
  private final List<HeldUpgrade> heldUpgrades = new ArrayList<>();

  /** An upgrade left unanswered by {@link #stallWebSocketUpgrades()}. */
  private record HeldUpgrade(Response response, Callback callback) {}

  FaultsImpl(ServerCore core) {
    this.core = core;
  }

  @Override
  public Faults dropInbound(Predicate<Message> message) {
    dropInbound = Objects.requireNonNull(message, "message");
    return this;
  }

  @Override
  public Faults dropReplies(Predicate<Message> request) {
    dropReplies = Objects.requireNonNull(request, "request");
    return this;
  }

  @Override
  public Faults delayReplies(Duration delay, Predicate<Message> request) {
    Objects.requireNonNull(delay, "delay");
    delayReplies = Objects.requireNonNull(request, "request");
    replyDelay = delay;
    return this;
  }

  @Override
  public Faults ignoreHeartbeats(boolean ignore) {
    ignoreHeartbeats = ignore;
    return this;
  }

  @Override
  public Faults refuseConnections(int httpStatus) {
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("refuse with an HTTP error status (400-599), not " + httpStatus);
    }
    refusalStatus = httpStatus;
    return this;
  }

  @Override
  public Faults acceptConnections() {
    refusalStatus = 0;
    return this;
  }

  @Override
  public Faults refuseWebSocketUpgrades(int httpStatus) {
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException("refuse with an HTTP error status (400-599), not " + httpStatus);
    }
    webSocketRefusalStatus = httpStatus;
    return this;
  }

  @Override
  public Faults stallWebSocketUpgrades() {
    stallWebSocketUpgrades = true;
    return this;
  }

  @Override
  public Faults acceptWebSocketUpgrades() {
    webSocketRefusalStatus = 0;
    stallWebSocketUpgrades = false;
    List<HeldUpgrade> released;
    synchronized (heldUpgrades) {
      released = List.copyOf(heldUpgrades);
      heldUpgrades.clear();
    }
    for (HeldUpgrade held : released) {
      try {
        held.response().setStatus(503);
        held.response().getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
        held.response().write(true, null, held.callback());
      } catch (RuntimeException clientGone) {
        held.callback().failed(clientGone);
      }
    }
    return this;
  }

  @Override
  public void cutAllConnections() {
    core.openConnections().forEach(ConnectionImpl::cut);
  }

  @Override
  public Faults reset() {
    dropInbound = null;
    dropReplies = null;
    delayReplies = null;
    replyDelay = null;
    ignoreHeartbeats = false;
    refusalStatus = 0;
    acceptWebSocketUpgrades();
    return this;
  }

  boolean dropsInbound(Message message) {
    Predicate<Message> drop = dropInbound;
    return drop != null && drop.test(message);
  }

  boolean dropsReplyTo(Message request) {
    Predicate<Message> drop = dropReplies;
    return drop != null && drop.test(request);
  }

  /** The delay for the reply to this request, or {@code null}. */
  Duration replyDelayFor(Message request) {
    Predicate<Message> delay = delayReplies;
    Duration amount = replyDelay;
    return delay != null && amount != null && delay.test(request) ? amount : null;
  }

  boolean ignoresHeartbeats() {
    return ignoreHeartbeats;
  }

  /**
   * Answers a WebSocket upgrade as the WebSocket faults say: refused with their status, or held unanswered.
   *
   * @return true when the fault answered (or holds) the upgrade
   */
  boolean interceptsWebSocketUpgrade(Response response, Callback callback) {
    int status = webSocketRefusalStatus;
    if (status != 0) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
      response.write(true, null, callback);
      return true;
    }
    if (stallWebSocketUpgrades) {
      synchronized (heldUpgrades) {
        heldUpgrades.add(new HeldUpgrade(response, callback));
      }
      return true;
    }
    return false;
  }

  /** The HTTP status new connections are refused with, or 0 to accept them. */
  int refusalStatus() {
    return refusalStatus;
  }
}
