package io.phoenixchannels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.internal.AndroidExempt;
import io.phoenixchannels.internal.BoundedBuffer;
import io.phoenixchannels.internal.RetryTimer;
import io.phoenixchannels.internal.log.Log.Level;
import io.phoenixchannels.internal.protocol.BinaryFrames;
import io.phoenixchannels.internal.protocol.OutboundPayload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A channel: one topic joined over a {@link PhoenixSocket}, with phoenix.js's state machine (closed, joining,
 * joined, errored, leaving), rejoin with backoff, and pushes with replies.
 *
 * <pre>{@code
 * PhoenixChannel room = socket.channel("room:lobby", Map.of("name", "Ada"));
 * room.on("new_msg", ChatMessage.class, msg -> show(msg));
 * room.join().receive("ok", reply -> log("joined"));
 * room.push("new_msg", new ChatMessage("hi"));
 * }</pre>
 *
 * <p>Pushes made before the join succeeds wait in a bounded buffer and go out, in order, with the join's
 * reference once it does. Messages from an earlier join of the channel (an older {@code join_ref}) are dropped.
 * When the connection drops, the channel errors and rejoins once the socket is back.
 *
 * <p>All methods may be called from any thread. Callbacks run on the socket's callback executor, one at a time.
 * A channel is {@link AutoCloseable}: closing it leaves it.
 */
public final class PhoenixChannel implements AutoCloseable {
  static final String JOIN = "phx_join";
  static final String LEAVE = "phx_leave";
  static final String REPLY = "phx_reply";
  static final String ERROR = "phx_error";
  static final String CLOSE = "phx_close";

  private final PhoenixSocket socket;
  private final String topic;
  private final AtomicBoolean joinedOnce = new AtomicBoolean();
  private final ChannelCallbacks callbacks;
  private volatile Supplier<?> params;
  private volatile boolean literalParams;
  private volatile ChannelState state = ChannelState.CLOSED;

  // Event-loop state.
  private final Push joinPush;
  private final BoundedBuffer<Push> pushBuffer;
  private final PendingReplies awaitingReply;
  private final RetryTimer rejoinTimer;
  private volatile Duration timeout;
  private boolean removed;

  PhoenixChannel(PhoenixSocket socket, String topic, Supplier<?> params, boolean literalParams) {
    this.socket = socket;
    this.topic = topic;
    this.params = params;
    this.literalParams = literalParams;
    this.timeout = socket.options().timeout();
    this.callbacks = new ChannelCallbacks(socket, topic);
    this.awaitingReply = new PendingReplies(socket, topic);
    this.pushBuffer = new BoundedBuffer<>(socket.options().pushBufferLimit());
    this.joinPush = new Push(this, JOIN, this::encodeJoinParams, timeout);
    this.joinPush.setChannelReaction(this::onJoinOutcome);
    this.rejoinTimer = new RetryTimer(socket.loop(), () -> {
      if (socket.isConnected()) {
        rejoin();
      }
    });
  }

  // ---- public API ----

  /**
   * Returns the topic.
   *
   * @return the topic, for example {@code "room:lobby"}
   */
  public String topic() {
    return topic;
  }

  /**
   * Returns the socket this channel belongs to.
   *
   * @return the socket
   */
  public PhoenixSocket socket() {
    return socket;
  }

  /**
   * Returns the channel's state, as last published by the event loop.
   *
   * @return the state
   */
  public ChannelState state() {
    return state;
  }

  /**
   * Tells whether a push would go out at once: the socket is connected and the channel joined.
   *
   * @return true when pushes are not buffered
   */
  public boolean canPush() {
    return socket.isConnected() && state == ChannelState.JOINED;
  }

  /**
   * Joins the channel with the socket's default timeout. See {@link #join(Duration)}.
   *
   * @return the join push
   */
  public Push join() {
    return join(socket.options().timeout());
  }

  /**
   * Joins the channel: sends {@code phx_join} with the channel's params (re-read for every rejoin), now if the
   * socket is connected, or as soon as it is. If another channel of this socket has joined or is joining the same
   * topic, that one leaves first. A refused or timed-out join is retried on the {@link RejoinPolicy}'s backoff.
   *
   * @param timeout how long each join attempt waits for its reply
   * @return the join push: its receivers fire for the outcome of every attempt
   * @throws IllegalStateException if this channel was joined before (create a new channel to join again)
   * @throws IllegalArgumentException if the params cannot be written as JSON
   */
  public Push join(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (literalParams) {
      encodeJoinParams(); // params Jackson cannot write fail here, on the caller's thread, not in a rejoin loop
    }
    if (!joinedOnce.compareAndSet(false, true)) {
      throw new IllegalStateException("tried to join '" + topic + "' multiple times; 'join' can only be called "
          + "once per channel instance (create a new channel to join again)");
    }
    socket.runOnLoop(() -> {
      if (removed) {
        // Closed before its join ran (left, or its socket closed meanwhile): the join ends here, it cannot wait.
        joinPush.fail(new PhoenixException("channel '" + topic + "' was closed before it joined"));
        return;
      }
      this.timeout = timeout;
      rejoin(timeout);
    });
    return joinPush;
  }

  /**
   * Pushes an event with the socket's default timeout. See {@link #push(String, Object, Duration)}.
   *
   * @param event the event name
   * @param payload the payload
   * @return the push
   */
  public Push push(String event, Object payload) {
    return push(event, payload, null);
  }

  /**
   * Pushes an event: sent at once when {@linkplain #canPush() possible}, else buffered until the join succeeds.
   *
   * <p>The payload is written when this method is called, so the caller may change its object afterwards. Any
   * value Jackson can write goes as JSON ({@code null} as {@code {}}); {@code byte[]}, {@link java.nio.ByteBuffer}
   * and {@link com.fasterxml.jackson.databind.node.BinaryNode} go as a V2 binary frame.
   *
   * @param event the event name, handled by the channel's {@code handle_in/3}
   * @param payload the payload
   * @param timeout how long to wait for the reply, counted from now; {@code null} for the join's timeout
   * @return the push, to receive its reply
   * @throws IllegalStateException if the channel was never joined
   * @throws IllegalArgumentException if Jackson cannot write the payload, or a binary payload's topic or event
   *     is over 255 UTF-8 bytes, or a binary payload is pushed with the V1 serializer
   */
  public Push push(String event, Object payload, Duration timeout) {
    Objects.requireNonNull(event, "event");
    if (!joinedOnce.get()) {
      throw new IllegalStateException("tried to push '" + event + "' to '" + topic + "' before joining; use "
          + "channel.join() before pushing events");
    }
    OutboundPayload encoded = encode(payload, "payload of '" + event + "'");
    if (encoded.isBinary()) {
      if (!socket.serializer().supportsBinary()) {
        throw new IllegalArgumentException("binary payloads need the V2 serializer (vsn 2.0.0); this socket uses "
            + socket.serializer().vsn());
      }
      BinaryFrames.metaBytes("topic", topic);
      BinaryFrames.metaBytes("event", event);
    }
    Push push = new Push(this, event, () -> encoded, timeout == null ? this.timeout : timeout);
    if (!socket.loop().inEventLoop()) {
      push.collectReceivers();
    }
    socket.runOnLoop(() -> {
      push.adoptCollectedReceivers();
      enqueuePush(push);
    });
    return push;
  }

  /**
   * Leaves the channel with the socket's default timeout. See {@link #leave(Duration)}.
   *
   * @return the leave push
   */
  public Push leave() {
    return leave(socket.options().timeout());
  }

  /**
   * Leaves the channel: stops rejoining, sends {@code phx_leave}, and closes the channel when the server answers
   * (or the timeout passes). The state is {@link ChannelState#LEAVING} meanwhile. An errored channel sends it too,
   * like phoenix.js: its last join may have reached the server. A channel that was never joined, or whose socket is
   * not connected, closes at once: there is nobody to tell.
   *
   * @param timeout how long to wait for the server's answer
   * @return the leave push
   */
  public Push leave(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    Push leavePush = new Push(this, LEAVE, OutboundPayload::emptyObject, timeout);
    leavePush.setChannelReaction(reply -> closeChannel(new ChannelClose(true, "left")));
    socket.runOnLoop(() -> startLeave(leavePush));
    return leavePush;
  }

  /** Leaves the channel, if it is still open; see {@link #leave()}. Does nothing once the socket is closed. */
  @Override
  public void close() {
    try {
      leave();
    } catch (IllegalStateException socketClosed) {
      // Closing the socket closed this channel already.
    }
  }

  /**
   * Replaces the join params; the next join or rejoin sends them.
   *
   * @param params any value Jackson can write
   */
  public void joinParams(Object params) {
    this.params = () -> params;
    this.literalParams = true;
  }

  /**
   * Replaces the join params by a supplier, called for every join attempt (for example to send a fresh token).
   *
   * @param params called on the event loop before each join
   */
  public void joinParams(Supplier<?> params) {
    this.params = Objects.requireNonNull(params, "params");
    this.literalParams = false;
  }

  /**
   * Subscribes to one event: server pushes and broadcasts of that name (and {@code phx_reply}, {@code phx_error},
   * {@code phx_close} if asked for).
   *
   * @param event the event name
   * @param callback gets each message; runs on the callback executor
   * @return a subscription that removes this callback alone
   */
  public Subscription on(String event, Consumer<Message> callback) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(callback, "callback");
    return callbacks.on(event, callback);
  }

  /**
   * Subscribes to one event with a typed payload, converted by the socket's {@code ObjectMapper}. A payload that
   * does not convert is reported to the socket's error listeners as a {@link ProtocolException} and skipped.
   *
   * @param event the event name
   * @param type the payload type, for example a record
   * @param callback gets each converted payload
   * @param <T> the payload type
   * @return a subscription that removes this callback alone
   */
  public <T> Subscription on(String event, Class<T> type, Consumer<? super T> callback) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(event, "event");
    return callbacks.on(event, type, callback);
  }

  /**
   * Returns the messages of one event as a {@link Flow.Publisher}, so that Reactor ({@code Flux.from}), RxJava
   * ({@code Flowable.fromPublisher} through {@code FlowAdapters}) or Kotlin coroutines ({@code asFlow}) can consume
   * them with back-pressure. It is hot: a subscriber gets the messages that arrive after it subscribed.
   *
   * <p>Each subscription buffers up to {@code bufferSize} messages that its subscriber has not {@linkplain
   * Flow.Subscription#request requested} yet; what happens to one more is the {@code overflow} policy's choice.
   * The subscription completes when the channel closes (left, closed by the server, given up; once the buffered
   * messages were requested and delivered), not when it errors and rejoins. {@link Flow.Subscription#cancel()}
   * removes it from the channel. A non-positive {@code request} ends it with {@code onError}
   * ({@link IllegalArgumentException}).
   *
   * <p>Every signal ({@code onSubscribe} included) runs on the socket's callback executor, one at a time, so the
   * signals of one subscription never overlap; {@code request} and {@code cancel} may be called from any thread.
   *
   * <p>On Android this needs API 30 or later, where {@code java.util.concurrent.Flow} exists; the rest of the
   * channel does not.
   *
   * @param event the event name, as for {@link #on(String, Consumer)}
   * @param bufferSize how many undelivered messages each subscription may hold, at least 1
   * @param overflow what to do with a message that does not fit
   * @return a publisher; each {@code subscribe} starts an independent subscription
   * @throws IllegalArgumentException if {@code bufferSize} is not positive
   */
  @AndroidExempt("java.util.concurrent.Flow: Android API 30+, as documented here")
  public Flow.Publisher<Message> publisher(String event, int bufferSize, OverflowPolicy overflow) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(overflow, "overflow");
    if (bufferSize <= 0) {
      throw new IllegalArgumentException("bufferSize must be positive, got " + bufferSize);
    }
    return new MessagePublisher(this, event, bufferSize, overflow);
  }

  /**
   * Removes every callback of one event.
   *
   * @param event the event name
   */
  public void off(String event) {
    callbacks.off(event);
  }

  /**
   * Subscribes to every message of this channel, whatever its event: the catch-all of the Godot client's
   * {@code on_event(event, payload, status)}. Replies are included ({@link Message#isReply()}).
   *
   * @param callback gets each message
   * @return a subscription that removes it
   */
  public Subscription onMessage(Consumer<Message> callback) {
    return callbacks.onMessage(callback);
  }

  /**
   * Subscribes to the channel's errors: a crash on the server ({@code phx_error}) or a lost connection. One error
   * is reported per outage; the channel then rejoins on its own.
   *
   * @param callback gets why
   * @return a subscription that removes it
   */
  public Subscription onError(Consumer<ChannelError> callback) {
    return callbacks.errorListeners.add(callback);
  }

  /**
   * Subscribes to the channel's close: left, closed by the server, or given up by the rejoin policy.
   *
   * @param callback gets why
   * @return a subscription that removes it
   */
  public Subscription onClose(Consumer<ChannelClose> callback) {
    return callbacks.closeListeners.add(callback);
  }

  /**
   * Subscribes to every change of {@link #state()}: joining, joined, errored, leaving, closed. Changes arrive in
   * the order they happened; a callback that wants the state as it is now rather than as it was then reads
   * {@link #state()}.
   *
   * @param callback gets the new state; runs on the callback executor
   * @return a subscription that removes it
   */
  public Subscription onStateChange(Consumer<ChannelState> callback) {
    return callbacks.stateListeners.add(callback);
  }

  /**
   * Sets a hook that sees every inbound message before the callbacks do, and may replace it (for example to
   * decrypt a payload) or drop it by returning {@code null}. By default messages pass unchanged. The hook runs on
   * the callback executor.
   *
   * @param hook the hook, or {@code null} to remove it
   */
  public void messageHook(UnaryOperator<Message> hook) {
    callbacks.messageHook(hook);
  }

  @Override
  public String toString() {
    return "PhoenixChannel{" + topic + ", " + state + "}";
  }

  // ---- event loop: socket side ----

  /** The join reference of the current join attempt, or {@code null}; readable from any thread. */
  String joinRef() {
    return joinPush.ref();
  }

  boolean isMember(Message message) {
    if (!topic.equals(message.topic())) {
      return false;
    }
    String messageJoinRef = message.joinRef();
    if (messageJoinRef != null && !messageJoinRef.equals(joinRef())) {
      socket.log(Level.DEBUG, () -> "dropping outdated message for " + topic + " (join_ref " + messageJoinRef
          + ", current " + joinRef() + "): " + message.event());
      return false;
    }
    return true;
  }

  void trigger(Message message) {
    assert socket.onLoop();
    switch (message.event()) {
      case REPLY -> {
        if (!awaitingReply.route(message)) {
          return;
        }
      }
      case ERROR -> serverError(message);
      case CLOSE -> closeChannel(new ChannelClose(false, "closed by the server"));
      default -> { }
    }
    callbacks.message(message);
  }

  /** The socket's connection closed or failed. */
  void transportError(String reason) {
    assert socket.onLoop();
    if (state == ChannelState.ERRORED || state == ChannelState.LEAVING || state == ChannelState.CLOSED) {
      return;
    }
    ObjectNode payload = JsonNodeFactory.instance.objectNode().put("source", "transport").put("reason", reason);
    error(new ChannelError(false, reason, payload));
  }

  /** The socket opened: rejoin now if the channel errored while it was down. */
  void socketOpened() {
    assert socket.onLoop();
    rejoinTimer.reset();
    if (state == ChannelState.ERRORED) {
      rejoin();
    }
  }

  /** The socket is being closed for good: leave if joined, then close without waiting. */
  void socketClosing() {
    assert socket.onLoop();
    if (state == ChannelState.JOINED || state == ChannelState.JOINING) {
      startLeave(new Push(this, LEAVE, OutboundPayload::emptyObject, timeout));
    }
    closeChannel(new ChannelClose(true, "socket closed"));
    PhoenixException closed = new PhoenixException("socket closed before '" + topic + "' got a reply");
    awaitingReply.failAll(closed);
    joinPush.cancelTimeout();
  }

  boolean isJoiningOrJoined() {
    return state == ChannelState.JOINING || state == ChannelState.JOINED;
  }

  void addInternalListener(Consumer<Message> listener) {
    callbacks.addInternalListener(listener);
  }

  // ---- event loop: pushes ----

  void awaitReply(String ref, Push push) {
    awaitingReply.await(ref, push);
  }

  void forgetReply(String ref) {
    awaitingReply.forget(ref);
  }

  void dropBuffered(Push push) {
    pushBuffer.remove(push);
  }

  /**
   * Puts the pushes the transport provably did not deliver back in front of the push buffer, in their order, so that
   * they go again once the channel has rejoined; see {@link LongPollSessionEnd#requeue}.
   */
  void requeueUndelivered(List<String> refs) {
    if (state == ChannelState.LEAVING || state == ChannelState.CLOSED) {
      return;
    }
    List<Push> undelivered = new ArrayList<>();
    for (String ref : refs) {
      Push push = awaitingReply.get(ref);
      if (push != null && push != joinPush && !LEAVE.equals(push.event())) {
        undelivered.add(push);
      }
    }
    for (int i = undelivered.size() - 1; i >= 0; i--) {
      undelivered.get(i).unsent();
      pushBuffer.putBack(undelivered.get(i));
    }
  }

  /** A join buffered by a disconnected socket goes out only if the channel still waits for it. */
  boolean wantsBufferedSend(Push push) {
    return push != joinPush || state == ChannelState.JOINING;
  }

  private void enqueuePush(Push push) {
    if (state == ChannelState.CLOSED && removed) {
      push.fail(new PhoenixException("channel '" + topic + "' is closed; join a new channel to push"));
      return;
    }
    push.startTimeout();
    if (canPush()) {
      push.send();
    } else if (!pushBuffer.offer(push)) {
      push.fail(new PhoenixException("the push buffer of '" + topic + "' is full (" + pushBuffer.size()
          + " pushes waiting for the join); raise PhoenixSocket.Builder.pushBufferLimit or wait for the join"));
    }
  }

  // ---- event loop: lifecycle ----

  private void rejoin() {
    rejoin(timeout);
  }

  private void rejoin(Duration attemptTimeout) {
    if (state == ChannelState.LEAVING || removed) {
      return;
    }
    socket.leaveOpenTopic(topic, this);
    setState(ChannelState.JOINING);
    joinPush.resend(attemptTimeout);
  }

  private void onJoinOutcome(Reply reply) {
    if (state != ChannelState.JOINING) {
      return;
    }
    switch (reply.status()) {
      case Reply.OK -> {
        setState(ChannelState.JOINED);
        rejoinTimer.reset();
        pushBuffer.drain().forEach(Push::send);
      }
      case Reply.TIMEOUT -> {
        socket.log(Level.DEBUG, () -> "join of " + topic + " timed out after " + joinPush.timeout().toMillis()
            + " ms");
        if (socket.isConnected()) {
          // The server may have joined after all: tell it to forget this attempt.
          new Push(this, LEAVE, OutboundPayload::emptyObject, timeout).send();
        }
        setState(ChannelState.ERRORED);
        joinPush.reset();
        if (socket.isConnected()) {
          scheduleRejoin();
        }
      }
      default -> {
        setState(ChannelState.ERRORED);
        if (socket.isConnected()) {
          if (!reply.failure().isPresent() && !retriesJoinError(reply)) {
            closeChannel(new ChannelClose(false, "join refused: " + reply.response()));
          } else {
            scheduleRejoin();
          }
        }
      }
    }
  }

  /** The policy's predicate is user code: one that throws stops the retries, loudly, instead of the channel. */
  private boolean retriesJoinError(Reply reply) {
    try {
      return socket.options().rejoinPolicy().retriesJoinError(reply);
    } catch (Throwable e) {
      socket.reportError(new PhoenixException("the rejoin policy threw deciding about '" + topic + "': " + e, e));
      return false;
    }
  }

  private void serverError(Message message) {
    JsonNode reason = message.payload().get("reason");
    error(new ChannelError(true, reason != null && reason.isTextual() ? reason.asText() : ERROR,
        message.payload()));
  }

  private void error(ChannelError why) {
    if (state == ChannelState.LEAVING || state == ChannelState.CLOSED) {
      return;
    }
    socket.log(Level.DEBUG, () -> "channel " + topic + " errored: " + why.reason());
    if (state == ChannelState.JOINING) {
      joinPush.reset();
    }
    setState(ChannelState.ERRORED);
    if (socket.isConnected()) {
      scheduleRejoin();
    }
    callbacks.error(why);
  }

  private void scheduleRejoin() {
    boolean scheduled = rejoinTimer.schedule(attempt -> socket.options().rejoinPolicy().nextDelay(attempt));
    if (!scheduled) {
      closeChannel(new ChannelClose(false, "gave up rejoining after " + rejoinTimer.tries() + " attempts"));
    }
  }

  private void startLeave(Push leavePush) {
    if (removed) {
      leavePush.replied(new Reply(Reply.OK, null, null, socket.mapper()));
      return;
    }
    rejoinTimer.reset();
    joinPush.cancelTimeout();
    ChannelState before = state;
    setState(ChannelState.LEAVING);
    // An errored channel tells the server too: its last join may have reached the server after all (a join that
    // timed out), and the server answers ok either way.
    if (socket.isConnected() && (before == ChannelState.JOINED || before == ChannelState.JOINING
        || before == ChannelState.ERRORED)) {
      leavePush.startTimeout();
      leavePush.send();
    } else {
      leavePush.replied(new Reply(Reply.OK, null, null, socket.mapper()));
    }
  }

  private void closeChannel(ChannelClose why) {
    if (removed) {
      return;
    }
    removed = true;
    rejoinTimer.reset();
    joinPush.cancelTimeout();
    setState(ChannelState.CLOSED);
    socket.remove(this);
    PhoenixException unsent = new PhoenixException("channel '" + topic + "' closed (" + why.reason()
        + ") before the push was sent");
    pushBuffer.drain().forEach(push -> push.fail(unsent));
    socket.log(Level.DEBUG, () -> "channel " + topic + " closed: " + why.reason());
    callbacks.closed(why);
  }

  private void setState(ChannelState newState) {
    if (state != newState) {
      state = newState;
      callbacks.stateListeners.fire(socket.dispatcher(), newState);
    }
  }

  // ---- helpers ----

  private OutboundPayload encodeJoinParams() {
    return encode(params.get(), "join params of '" + topic + "'");
  }

  private OutboundPayload encode(Object payload, String what) {
    try {
      return socket.serializer().prepare(payload, socket.mapper());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
