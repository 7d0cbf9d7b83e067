package io.phoenixchannels;

import io.phoenixchannels.internal.GuardedFuture;
import io.phoenixchannels.internal.protocol.OutboundMessage;
import io.phoenixchannels.internal.protocol.OutboundPayload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A message pushed to a channel, and the reply it is waiting for.
 *
 * <pre>{@code
 * room.push("new_msg", Map.of("body", "hi"))
 *     .receive("ok", reply -> show(reply.response()))
 *     .receive("error", reply -> warn("refused: " + reply.response()))
 *     .receive("timeout", () -> warn("no answer"))
 *     .receive("failed", reply -> warn("not sent: " + reply.failure().orElseThrow().getMessage()));
 * }</pre>
 *
 * <p>Every push ends exactly once: with the server's {@code "ok"} or {@code "error"} reply, with {@code "timeout"}
 * when no reply came within its timeout (counted from the moment it was pushed, buffered or not), or with
 * {@code "failed"} and a {@link Reply#failure() failure} when it never reached a server (this client could not
 * send it). A join is the one push that can end more than once: it is sent again on every rejoin, and its
 * receivers fire for every outcome.
 *
 * <p>All methods may be called from any thread. Receivers run on the socket's callback executor.
 */
public final class Push {
  private final PhoenixChannel channel;
  private final String event;
  private final Supplier<OutboundPayload> payload;
  private final List<Receiver> receivers = new ArrayList<>();
  /** Written on the loop (each join attempt may set it), read by {@link #toFuture()}'s completer elsewhere. */
  private volatile Duration timeout;
  private Consumer<Reply> channelReaction;
  private GuardedFuture<Reply> future;
  /**
   * Receivers registered by the pushing thread before the loop took the push in, guarded by {@code this};
   * {@code null} when there is nothing to collect. The usual {@code push(...).receive(...).receive(...)} from
   * another thread then costs the loop one task instead of one per receiver.
   */
  private List<Receiver> collected;

  // Event-loop state.
  private volatile String ref;
  private Reply received;
  private boolean finished;
  private EventLoop.Cancellable timeoutTimer;

  Push(PhoenixChannel channel, String event, Supplier<OutboundPayload> payload, Duration timeout) {
    this.channel = channel;
    this.event = event;
    this.payload = payload;
    this.timeout = timeout;
  }

  /**
   * Registers a callback for one outcome: {@code "ok"} or {@code "error"} (the server's answer), {@code "timeout"}
   * (no answer in time; an empty response) or {@code "failed"} (never reached a server; see {@link
   * Reply#failure()}). The callback runs on the socket's callback executor.
   *
   * <p>If that outcome already happened, the callback is queued there at once; it then runs after the callbacks the
   * loop queued before it, which may include those of later messages (a broadcast that followed a join's reply,
   * say). Receivers chained onto the call that made the push ({@code channel.join().receive(...)}) are in place
   * before its reply can arrive, and run in order with the messages; follow a channel's later life with its
   * {@link PhoenixChannel#state()}, {@code onError} and {@code onClose} rather than a receiver registered late.
   *
   * @param status the outcome to wait for
   * @param callback gets the reply
   * @return this push, for chaining
   */
  public Push receive(String status, Consumer<Reply> callback) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(callback, "callback");
    synchronized (this) {
      if (collected != null) {
        collected.add(new Receiver(status, callback)); // the loop has not seen the push: no outcome yet
        return this;
      }
    }
    socket().runOnLoop(() -> {
      receivers.add(new Receiver(status, callback));
      if (received != null && received.status().equals(status)) {
        Reply reply = received;
        socket().dispatcher().dispatch(() -> callback.accept(reply));
      }
    });
    return this;
  }

  /**
   * Registers a callback for one outcome that does not need the reply, typically {@code "timeout"}.
   *
   * @param status the outcome to wait for
   * @param callback runs when it happens
   * @return this push, for chaining
   */
  public Push receive(String status, Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    return receive(status, reply -> callback.run());
  }

  /**
   * Returns a future of the first outcome: it completes with the {@link Reply} for {@code "ok"}, {@code "error"}
   * and {@code "failed"} (check {@link Reply#isOk()}), and exceptionally with a {@link PushTimeoutException} on
   * timeout. It completes on
   * the callback executor, so dependent stages run there too. Waiting on it from the event loop or a callback of
   * this socket throws {@link IllegalStateException} instead of deadlocking.
   *
   * @return the future; the same one on every call
   */
  public CompletableFuture<Reply> toFuture() {
    synchronized (this) {
      if (future != null) {
        return future;
      }
      future = new GuardedFuture<>(socket().dispatcher());
    }
    GuardedFuture<Reply> result = future;
    socket().runOnLoop(() -> {
      Consumer<Reply> completer = reply -> {
        if (Reply.TIMEOUT.equals(reply.status())) {
          result.completeExceptionally(new PushTimeoutException(channel.topic(), event, timeout));
        } else {
          result.complete(reply);
        }
      };
      if (received != null) {
        Reply reply = received;
        socket().dispatcher().dispatch(() -> completer.accept(reply));
      } else {
        receivers.add(new Receiver(null, completer));
      }
    });
    return result;
  }

  /**
   * Returns a future of the first outcome's response, converted to a type with the socket's {@code ObjectMapper}:
   * the {@code Reply}-free way to push, for code built on {@link CompletableFuture}s.
   *
   * <ul>
   *   <li>{@code "ok"}: completes with the response as {@code type} ({@code JsonNode.class} gives it unconverted,
   *       {@code byte[].class} the bytes of a binary reply);</li>
   *   <li>{@code "error"} from the server (or any status a server sent other than ok): completes exceptionally
   *       with an {@link ErrorReplyException} that carries the {@link Reply};</li>
   *   <li>{@code "failed"}, a push that never reached a server: exceptionally with the {@link Reply#failure()
   *       failure} itself (a full buffer, a closed socket or channel);</li>
   *   <li>no reply in time: exceptionally with a {@link PushTimeoutException};</li>
   *   <li>a response that does not fit the type: exceptionally with a {@link ProtocolException}.</li>
   * </ul>
   *
   * <p>The exception is the one above, not wrapped: {@code exceptionally} and {@code whenComplete} see it as is
   * ({@code get()} wraps it in an {@link java.util.concurrent.ExecutionException}, {@code join()} in a
   * {@link java.util.concurrent.CompletionException}, as for any future). Like {@link #toFuture()}, it completes on
   * the callback executor, and waiting on it from the event loop or a callback of this socket throws
   * {@link IllegalStateException} instead of deadlocking.
   *
   * @param type the type of an ok response, for example a record
   * @param <T> that type
   * @return a new future on every call
   */
  public <T> CompletableFuture<T> toFuture(Class<T> type) {
    Objects.requireNonNull(type, "type");
    GuardedFuture<T> typed = new GuardedFuture<>(socket().dispatcher());
    toFuture().whenComplete((reply, error) -> {
      if (error != null) {
        typed.completeExceptionally(error);
      } else if (reply.failure().isPresent()) {
        typed.completeExceptionally(reply.failure().get());
      } else if (!reply.isOk()) {
        typed.completeExceptionally(new ErrorReplyException(channel.topic(), event, reply));
      } else {
        try {
          typed.complete(reply.as(type));
        } catch (IllegalArgumentException e) {
          typed.completeExceptionally(new ProtocolException("the reply to '" + event + "' on '" + channel.topic()
              + "' cannot be read as " + type.getName() + ": " + e.getMessage(), e));
        }
      }
    });
    return typed;
  }

  /**
   * Returns the pushed event.
   *
   * @return the event name
   */
  public String event() {
    return event;
  }

  /**
   * Returns the channel this push went to.
   *
   * @return the channel
   */
  public PhoenixChannel channel() {
    return channel;
  }

  @Override
  public String toString() {
    return "Push{" + channel.topic() + " " + event + "}";
  }

  /** On the pushing thread, before the push goes to the loop from another thread: receivers are collected. */
  synchronized void collectReceivers() {
    collected = new ArrayList<>(3);
  }

  /** On the loop, before anything else happens to the push: takes in the receivers collected so far. */
  void adoptCollectedReceivers() {
    List<Receiver> adopted;
    synchronized (this) {
      adopted = collected;
      collected = null;
    }
    if (adopted != null) {
      receivers.addAll(adopted);
    }
  }

  // ---- event loop only ----

  void setChannelReaction(Consumer<Reply> reaction) {
    this.channelReaction = reaction;
  }

  String ref() {
    return ref;
  }

  Duration timeout() {
    return timeout;
  }

  /** Starts the timeout, once: a buffered push's timeout runs from the moment it was pushed. */
  void startTimeout() {
    assert socket().onLoop();
    if (timeoutTimer == null && !finished) {
      timeoutTimer = socket().loop().schedule(this::timedOut, timeout);
    }
  }

  /** Sends the push with a fresh ref (buffered by the socket while it is disconnected). */
  void send() {
    assert socket().onLoop();
    if (finished) {
      return;
    }
    startTimeout();
    ref = socket().makeRef();
    channel.awaitReply(ref, this);
    OutboundMessage message;
    try {
      message = new OutboundMessage(channel.joinRef(), ref, channel.topic(), event, payload.get());
    } catch (Throwable e) { // the join params supplier is user code
      fail(new PhoenixException("cannot write the payload of '" + event + "' to '" + channel.topic() + "': " + e, e));
      return;
    }
    socket().send(message, this);
  }

  /** Sends a join again, as a new attempt with a new ref, so that a late reply to the old attempt is ignored. */
  void resend(Duration newTimeout) {
    this.timeout = newTimeout;
    reset();
    send();
  }

  /** Forgets the current attempt: its ref, its outcome, its timer. */
  void reset() {
    cancelTimeout();
    if (ref != null) {
      channel.forgetReply(ref);
      ref = null;
    }
    received = null;
    finished = false;
  }

  /** The transport did not deliver this push: forget its ref, keep its timeout, and wait to be sent again. */
  void unsent() {
    if (ref != null) {
      channel.forgetReply(ref);
      ref = null;
    }
  }

  void cancelTimeout() {
    if (timeoutTimer != null) {
      timeoutTimer.cancel();
      timeoutTimer = null;
    }
  }

  /** The server replied. */
  void replied(Reply reply) {
    assert socket().onLoop();
    finish(reply);
  }

  /** This client could not deliver the push. */
  void fail(PhoenixException failure) {
    assert socket().onLoop();
    if (!finished) {
      finish(Reply.failed(failure, socket().mapper()));
    }
  }

  /** Tells whether a send of this push that was buffered under {@code bufferedRef} should still go out. */
  boolean stillWanted(String bufferedRef) {
    return !finished && Objects.equals(ref, bufferedRef) && channel.wantsBufferedSend(this);
  }

  private void timedOut() {
    timeoutTimer = null;
    if (finished) {
      return;
    }
    if (ref != null) {
      channel.forgetReply(ref);
    }
    channel.dropBuffered(this);
    finish(Reply.timeout(socket().mapper()));
  }

  private void finish(Reply reply) {
    cancelTimeout();
    if (ref != null) {
      channel.forgetReply(ref);
    }
    received = reply;
    finished = true;
    if (channelReaction != null) {
      channelReaction.accept(reply);
    }
    // Only the receivers registered before the outcome: one that a callback registers now is added past `count`,
    // and receive() has already dispatched it, since `received` is set. Indexing needs no copy of the list.
    for (int i = 0, count = receivers.size(); i < count; i++) {
      Receiver receiver = receivers.get(i);
      if (receiver.status == null || receiver.status.equals(reply.status())) {
        socket().dispatcher().dispatch(() -> receiver.callback.accept(reply));
      }
    }
    receivers.removeIf(receiver -> receiver.status == null);
  }

  private PhoenixSocket socket() {
    return channel.socket();
  }

  private record Receiver(String status, Consumer<Reply> callback) {}
}
