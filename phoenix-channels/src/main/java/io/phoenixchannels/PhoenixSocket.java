package io.phoenixchannels;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.internal.CallbackDispatcher;
import io.phoenixchannels.internal.EndpointUrl;
import io.phoenixchannels.internal.GuardedFuture;
import io.phoenixchannels.internal.ListenerList;
import io.phoenixchannels.internal.RetryTimer;
import io.phoenixchannels.internal.SharedHttpClient;
import io.phoenixchannels.internal.SocketOptions;
import io.phoenixchannels.internal.log.AndroidExempt;
import io.phoenixchannels.internal.log.Log;
import io.phoenixchannels.internal.log.Log.Level;
import io.phoenixchannels.internal.protocol.CodecSerializer;
import io.phoenixchannels.internal.protocol.Frame;
import io.phoenixchannels.internal.protocol.OutboundMessage;
import io.phoenixchannels.internal.protocol.OutboundPayload;
import io.phoenixchannels.internal.protocol.Serializer;
import io.phoenixchannels.transport.AuthTokenSubprotocols;
import io.phoenixchannels.transport.BuiltInTransport;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A connection to a Phoenix socket endpoint, multiplexing {@linkplain #channel channels}: heartbeats, reconnects
 * with backoff, a bounded send buffer while disconnected, and the V1 and V2 serializers.
 *
 * <pre>{@code
 * try (PhoenixSocket socket = PhoenixSocket.builder("ws://localhost:4000/socket")
 *     .params(Map.of("token", token))
 *     .build()) {
 *   socket.onOpen(() -> System.out.println("connected"));
 *   PhoenixChannel room = socket.channel("room:lobby");
 *   room.join();
 *   socket.connect();
 *   ...
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * A socket's state lives on one {@link EventLoop} thread. Every method may be called from any thread: on the loop
 * it runs at once, elsewhere it is queued there, in order. {@link #state()} and {@link #isConnected()} read the
 * state the loop last published. Callbacks run on the {@linkplain Builder#callbackExecutor callback executor} (by
 * default the loop itself, so a callback may push directly), one at a time and in order. A callback must not
 * block; waiting on one of the socket's futures from the loop or a callback throws instead of deadlocking.
 *
 * <h2>Transports</h2>
 * A WebSocket over the JDK's HTTP client by default; long-poll with {@link Builder#transport(BuiltInTransport)}, any
 * other transport with {@link Builder#transport(Transport.Factory)}, and a WebSocket that falls back to long-poll
 * with {@link Builder#longPollFallback(Duration)}. Channels, pushes, Presence and reconnects behave the same over
 * all of them.
 *
 * <h2>Reconnects</h2>
 * After any close the user did not ask for — a network failure, a refused upgrade, a missed heartbeat, and also
 * the server's own close with 1000 or 1001 — the socket reconnects as its {@link ReconnectPolicy} says, and its
 * channels rejoin. {@link #disconnect()} stops that; {@link #connect()} starts again. {@link #close()} ends the
 * socket for good: it leaves its channels, disconnects, and releases its threads.
 */
public final class PhoenixSocket implements AutoCloseable {
  private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();
  private static final Duration CLOSE_HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
  private static final String HEARTBEAT_TOPIC = "phoenix";
  private static final String HEARTBEAT_EVENT = "heartbeat";

  private final SocketOptions options;
  private final EventLoop loop;
  private final Runnable releaseResources;
  private final Transport.Factory transportFactory;
  private final LongPollFallback fallback;
  private final Duration longPollTimeout;
  private final Serializer serializer;
  private final CallbackDispatcher dispatcher;
  private final ListenerList<Boolean> openListeners = new ListenerList<>();
  private final ListenerList<CloseEvent> closeListeners = new ListenerList<>();
  private final ListenerList<PhoenixException> errorListeners = new ListenerList<>();
  private final ListenerList<Message> messageListeners = new ListenerList<>();
  private final ListenerList<SocketState> stateListeners = new ListenerList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile SocketState state = SocketState.CLOSED;
  private final List<PhoenixChannel> channels = new CopyOnWriteArrayList<>();

  // Event-loop state.
  private final ArrayDeque<Buffered> sendBuffer = new ArrayDeque<>();
  private final Map<String, PendingPing> pings = new HashMap<>();
  private final RetryTimer reconnectTimer;
  private Connection conn;
  private boolean closeWasClean = true;
  private boolean disconnecting;
  private long ref;
  private String pendingHeartbeatRef;
  private EventLoop.Cancellable heartbeatTimer;
  private EventLoop.Cancellable heartbeatTimeoutTimer;

  private PhoenixSocket(SocketOptions options, EventLoop loop, Runnable releaseResources,
      Transport.Factory transportFactory, Builder.Transports transports) {
    this.options = options;
    this.loop = loop;
    this.releaseResources = releaseResources;
    this.transportFactory = transportFactory;
    this.longPollTimeout = transports.longPollTimeout();
    this.fallback = transports.fallbackAfter() == null ? null : new LongPollFallback(loop, transportFactory,
        transports.longPoll(), transports.fallbackAfter(), transports.memory(), options.endpoint(), options.log(),
        this::fallBackToLongPoll);
    this.serializer = options.codec() != null ? new CodecSerializer(options.codec())
        : Serializer.forVsn(options.vsn(), options.mapper());
    this.dispatcher = new CallbackDispatcher(loop, options.callbackExecutor(), options.log());
    this.reconnectTimer = new RetryTimer(loop, () -> {
      if (conn == null && !closed.get()) {
        transportConnect();
      }
    });
  }

  /**
   * Starts building a socket.
   *
   * @param url the socket endpoint, such as {@code ws://localhost:4000/socket} ({@code /websocket} is appended, as
   *     phoenix.js does); {@code ws}, {@code wss}, {@code http} and {@code https} are accepted
   * @return a builder
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  // ---- public API ----

  /**
   * Connects, unless a connection is open or being made (then it does nothing). Channels joined before connecting
   * join once the connection opens.
   *
   * @throws IllegalStateException if the socket was closed
   */
  public void connect() {
    checkNotClosed();
    runOnLoop(() -> {
      if (closed.get() || (conn != null && !disconnecting)) {
        return;
      }
      transportConnect();
    });
  }

  /**
   * Disconnects with code 1000 and stops reconnecting, until {@link #connect()} is called again.
   *
   * @return a future that completes once the transport is closed
   */
  public CompletableFuture<Void> disconnect() {
    return disconnect(CloseEvent.NORMAL, "");
  }

  /**
   * Disconnects with a close code and reason and stops reconnecting. The close listeners fire with
   * {@link CloseEvent#requested()} true; joined channels error and will rejoin after the next {@link #connect()}.
   * Calling it when not connected, or twice, is harmless.
   *
   * @param code 1000, or an application code from 3000 to 4999
   * @param reason a short reason, possibly empty
   * @return a future that completes once the transport is closed
   * @throws IllegalArgumentException for a code a client may not send
   */
  public CompletableFuture<Void> disconnect(int code, String reason) {
    if (code != CloseEvent.NORMAL && (code < 3000 || code > 4999)) {
      throw new IllegalArgumentException("a client may close with 1000 or a code from 3000 to 4999, not " + code);
    }
    GuardedFuture<Void> done = new GuardedFuture<>(dispatcher);
    String safeReason = reason == null ? "" : reason;
    try {
      runOnLoop(() -> doDisconnect(code, safeReason, () -> dispatcher.dispatch(() -> done.complete(null))));
    } catch (IllegalStateException alreadyClosed) {
      done.complete(null);
    }
    return done;
  }

  /**
   * Closes the socket for good: leaves its channels (without waiting for the server's answers), fails pushes
   * still waiting, disconnects, and releases the event-loop and HTTP-client threads it was using once no other
   * socket uses them. Called from outside the loop, it waits up to two seconds for the transport to close.
   * Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(() -> doClose(done));
    } catch (RejectedExecutionException loopStopped) {
      // The caller closed the event-loop group first: nothing can run any more.
      releaseResources.run();
      return;
    }
    if (!dispatcher.wouldDeadlock()) {
      try {
        done.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log(Level.DEBUG, () -> "socket close did not finish within " + CLOSE_WAIT.toMillis() + " ms: " + e);
      }
    }
  }

  /**
   * Returns the connection state, as the event loop last published it.
   *
   * @return the state
   */
  public SocketState state() {
    return state;
  }

  /**
   * Tells whether the transport is open.
   *
   * @return true when {@link #state()} is {@link SocketState#OPEN}
   */
  public boolean isConnected() {
    return state == SocketState.OPEN;
  }

  /**
   * Creates a channel with no join params. See {@link #channel(String, Object)}.
   *
   * @param topic the topic, for example {@code "room:lobby"}
   * @return the channel, not joined yet
   */
  public PhoenixChannel channel(String topic) {
    return register(topic, Map::of, true);
  }

  /**
   * Creates a channel and registers it with this socket; call {@link PhoenixChannel#join()} to join it.
   *
   * @param topic the topic, for example {@code "room:lobby"}
   * @param params the join params: anything Jackson can write
   * @return the channel, not joined yet
   * @throws IllegalStateException if the socket was closed
   */
  public PhoenixChannel channel(String topic, Object params) {
    if (params instanceof Supplier<?> supplier) {
      return channel(topic, supplier);
    }
    return register(topic, () -> params, true);
  }

  /**
   * Creates a channel whose join params are re-read for every join attempt, for example to send a fresh token.
   *
   * @param topic the topic
   * @param params called on the event loop before each join
   * @return the channel, not joined yet
   * @throws IllegalStateException if the socket was closed
   */
  public PhoenixChannel channel(String topic, Supplier<?> params) {
    return register(topic, params, false);
  }

  private PhoenixChannel register(String topic, Supplier<?> params, boolean literalParams) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(params, "params");
    checkNotClosed();
    PhoenixChannel channel = new PhoenixChannel(this, topic, params, literalParams);
    channels.add(channel);
    return channel;
  }

  /**
   * Returns the channels registered with this socket: created and not yet closed.
   *
   * @return an immutable snapshot
   */
  public List<PhoenixChannel> channels() {
    return List.copyOf(channels);
  }

  /**
   * Registers a callback for each opening of the transport (the first connect and every reconnect).
   *
   * @param callback runs on the callback executor
   * @return a subscription that removes it
   */
  public Subscription onOpen(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    return openListeners.add(ignored -> callback.run());
  }

  /**
   * Registers a callback for each closing of the transport: its code, reason, whether it was requested, and
   * what failed if something did.
   *
   * @param callback runs on the callback executor
   * @return a subscription that removes it
   */
  public Subscription onClose(Consumer<CloseEvent> callback) {
    return closeListeners.add(callback);
  }

  /**
   * Registers a callback for errors: connections that fail ({@link ConnectionException}, with the HTTP status of
   * a refused upgrade), frames the client cannot read ({@link ProtocolException}), and the reconnect policy
   * giving up. None of them stops the socket by itself.
   *
   * @param callback runs on the callback executor
   * @return a subscription that removes it
   */
  public Subscription onError(Consumer<PhoenixException> callback) {
    return errorListeners.add(callback);
  }

  /**
   * Registers a callback for every message received, before or whatever the channels do with it (heartbeat replies
   * included).
   *
   * @param callback runs on the callback executor
   * @return a subscription that removes it
   */
  public Subscription onMessage(Consumer<Message> callback) {
    return messageListeners.add(callback);
  }

  /**
   * Registers a callback for every change of {@link #state()}, {@link SocketState#CONNECTING} and
   * {@link SocketState#CLOSING} included, which no other callback reports. Changes arrive in the order they
   * happened; a callback that wants the state as it is now rather than as it was then reads {@link #state()}.
   *
   * @param callback gets the new state; runs on the callback executor
   * @return a subscription that removes it
   */
  public Subscription onStateChange(Consumer<SocketState> callback) {
    return stateListeners.add(callback);
  }

  /**
   * Measures the round trip to the server with a heartbeat message.
   *
   * @return a future of the round-trip time; it fails at once with a {@link PhoenixException} when the socket is
   *     not connected, and with a {@link PushTimeoutException} after the socket's timeout
   */
  public CompletableFuture<Duration> ping() {
    GuardedFuture<Duration> result = new GuardedFuture<>(dispatcher);
    runOnLoop(() -> {
      if (!isConnected()) {
        dispatcher.dispatch(() -> result.completeExceptionally(new PhoenixException("cannot ping: not connected")));
        return;
      }
      String pingRef = makeRef();
      EventLoop.Cancellable timer = loop.schedule(() -> {
        if (pings.remove(pingRef) != null) {
          dispatcher.dispatch(() -> result.completeExceptionally(
              new PushTimeoutException(HEARTBEAT_TOPIC, HEARTBEAT_EVENT, options.timeout())));
        }
      }, options.timeout());
      pings.put(pingRef, new PendingPing(loop.nanoTime(), result, timer));
      send(heartbeat(pingRef), null);
    });
    return result;
  }

  /**
   * Returns the endpoint this socket connects to, as given to the builder.
   *
   * @return the endpoint
   */
  public URI endpoint() {
    return options.endpoint();
  }

  @Override
  public String toString() {
    return "PhoenixSocket{" + options.endpoint().getHost() + ", " + state + "}";
  }

  // ---- for channels, pushes and presence ----

  SocketOptions options() {
    return options;
  }

  EventLoop loop() {
    return loop;
  }

  CallbackDispatcher dispatcher() {
    return dispatcher;
  }

  ObjectMapper mapper() {
    return options.mapper();
  }

  Serializer serializer() {
    return serializer;
  }

  /** Runs a task on the loop: now if already there, else queued. */
  void runOnLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the socket is closed (its event loop has stopped)", e);
    }
  }

  void log(Level level, Supplier<String> message) {
    options.log().log(level, message);
  }

  /** Reports an error to the error listeners, from any thread. */
  void reportError(PhoenixException error) {
    // Such errors quote payloads, which may carry secrets: the listeners get the details, the log only the kind.
    log(Level.DEBUG, () -> "reported a " + error.getClass().getSimpleName() + " to the error listeners");
    try {
      runOnLoop(() -> errorListeners.fire(dispatcher, error));
    } catch (IllegalStateException socketClosed) {
      // Nobody is left to tell.
    }
  }

  /** Returns the next message reference. */
  String makeRef() {
    ref = nextRef(ref);
    return Long.toString(ref);
  }

  /** Refs count up from 1 and restart after {@code Long.MAX_VALUE}, as phoenix.js restarts on overflow. */
  static long nextRef(long current) {
    return current == Long.MAX_VALUE ? 1 : current + 1;
  }

  /** Sends now if connected, else buffers (bounded): a push that does not fit fails at once. */
  void send(OutboundMessage message, Push push) {
    // Checked before the message is built: a capturing lambda per push would be garbage even with logging off.
    if (options.log().isLoggable(Level.DEBUG)) {
      options.log().log(Level.DEBUG, "push " + message.topic() + " " + message.event() + " ("
          + message.joinRef() + ", " + message.ref() + ")");
    }
    if (isConnected()) {
      write(message, push);
    } else if (sendBuffer.size() >= options.sendBufferLimit()) {
      PhoenixException full = new PhoenixException("the send buffer is full (" + sendBuffer.size()
          + " messages waiting for the connection); raise PhoenixSocket.Builder.sendBufferLimit or wait for the "
          + "socket to connect");
      if (push != null) {
        push.fail(full);
      } else {
        log(Level.WARNING, full::getMessage);
      }
    } else {
      sendBuffer.add(new Buffered(message, push));
    }
  }

  /** Leaves any other channel that has joined or is joining the topic: phoenix.js's leaveOpenTopic. */
  void leaveOpenTopic(String topic, PhoenixChannel joining) {
    for (PhoenixChannel channel : channels) {
      if (channel != joining && channel.topic().equals(topic) && channel.isJoiningOrJoined()) {
        log(Level.DEBUG, () -> "leaving duplicate topic " + topic);
        channel.leave();
      }
    }
  }

  void remove(PhoenixChannel channel) {
    channels.remove(channel);
  }

  // ---- event loop: connection lifecycle ----

  private void transportConnect() {
    if (conn != null) {
      // A connect during a disconnect: finish the old connection now, so its close comes before the new open.
      Connection old = conn;
      finished(old, old.closeCode, old.closeReason, null);
    }
    closeWasClean = false;
    disconnecting = false;
    Connection connection = new Connection();
    conn = connection;
    setState(SocketState.CONNECTING);
    TransportRequest request;
    try {
      Map<String, ?> params = options.params().get();
      String token = options.authToken() == null ? null : options.authToken().get();
      request = new TransportRequest(options.endpoint(), EndpointUrl.query(params, serializer.vsn()), token,
          options.headers(), options.maxInboundFrameBytes(), options.connectTimeout(), loop, longPollTimeout);
    } catch (RuntimeException e) {
      connectionFailed(connection, new ConnectionException("cannot build the connect request (params or auth "
          + "token supplier failed): " + e, -1, e));
      return;
    }
    log(Level.DEBUG, () -> "connecting to " + request);
    try {
      Transport.Factory factory = fallback == null ? transportFactory : fallback.factoryForAttempt();
      connection.transport = factory.open(request, connection);
    } catch (PhoenixException e) {
      connectionFailed(connection, e);
    } catch (RuntimeException e) {
      connectionFailed(connection, new ConnectionException("cannot open the transport: " + e, -1, e));
    }
  }

  private void connectionFailed(Connection connection, PhoenixException error) {
    connectionError(connection, error);
    finished(connection, CloseEvent.ABNORMAL, "", error);
  }

  private void opened(Connection connection) {
    if (connection != conn || connection.finished) {
      return;
    }
    connection.opened = true;
    log(Level.DEBUG, () -> "connected to " + options.endpoint().getHost());
    closeWasClean = false;
    disconnecting = false;
    setState(SocketState.OPEN);
    flushSendBuffer();
    reconnectTimer.reset();
    resetHeartbeat();
    for (PhoenixChannel channel : channels) {
      channel.socketOpened();
    }
    if (fallback != null) {
      fallback.opened(() -> {
        String probeRef = makeRef();
        send(heartbeat(probeRef), null);
        return probeRef;
      });
    }
    openListeners.fire(dispatcher, Boolean.TRUE);
  }

  private void connectionError(Connection connection, PhoenixException error) {
    if (connection != conn || connection.finished) {
      return;
    }
    connection.lastError = error;
    log(Level.DEBUG, () -> "transport error: " + error.getMessage());
    errorListeners.fire(dispatcher, error);
    triggerChannelErrors("connection_error");
  }

  /** The transport of a connection is gone: close it once, and decide whether to reconnect. */
  private void finished(Connection connection, int code, String reason, PhoenixException cause) {
    if (connection.finished) {
      return;
    }
    connection.finished = true;
    boolean current = connection == conn;
    boolean requested = connection.closing;
    if (current) {
      conn = null;
      requested = closeWasClean;
      clearHeartbeats();
      failPings("the connection closed");
      triggerChannelErrors("connection_closed");
      setState(SocketState.CLOSED);
    }
    CloseEvent event = new CloseEvent(code, reason, requested, cause != null ? cause : connection.lastError);
    log(Level.DEBUG, () -> "closed " + code + (reason.isEmpty() ? "" : " " + reason)
        + (event.requested() ? " (requested)" : ""));
    if (current && !requested && !closed.get()) {
      if (fallback != null && fallback.switchesAfter(connection.opened, event)) {
        loop.execute(this::reconnectAfterSwitch);
      } else {
        scheduleReconnect(event);
      }
    }
    closeListeners.fire(dispatcher, event);
    connection.whenFinished.forEach(Runnable::run);
    connection.whenFinished.clear();
  }

  private void scheduleReconnect(CloseEvent event) {
    boolean scheduled = reconnectTimer.schedule(attempt -> options.reconnectPolicy().nextDelay(attempt, event));
    if (!scheduled) {
      String close = "close " + event.code() + (event.reason().isEmpty() ? "" : " " + event.reason())
          + (event.cause() == null ? "" : " (" + event.cause().getMessage() + ")");
      PhoenixException gaveUp = new ConnectionException(reconnectTimer.tries() == 0
          ? "not reconnecting: the reconnect policy declined after " + close
          : "not reconnecting: the reconnect policy gave up after " + reconnectTimer.tries() + " attempts; last "
              + close, event.httpStatus().orElse(-1), event.cause());
      log(Level.WARNING, gaveUp::getMessage);
      errorListeners.fire(dispatcher, gaveUp);
    }
  }

  /** The long-poll fallback abandoned the WebSocket: connect again at once (over long-poll), unless told to stop. */
  private void reconnectAfterSwitch() {
    if (conn == null && !closeWasClean && !closed.get()) {
      reconnectTimer.reset();
      transportConnect();
    }
  }

  /** The fallback time ran out: drop the WebSocket attempt (or the wait for the next one) and use long-poll. */
  private void fallBackToLongPoll(PhoenixException why) {
    Connection current = conn;
    if (current == null) {
      reconnectAfterSwitch();
    } else if (!current.closing) {
      if (current.transport != null) {
        current.transport.abort();
      }
      finished(current, CloseEvent.ABNORMAL, "falling back to long-poll", why);
    }
  }

  private void doDisconnect(int code, String reason, Runnable whenDone) {
    disconnecting = true;
    closeWasClean = true;
    reconnectTimer.reset();
    if (fallback != null) {
      fallback.stop();
    }
    Connection connection = conn;
    if (connection == null) {
      disconnecting = false;
      whenDone.run();
      return;
    }
    connection.whenFinished.add(() -> {
      disconnecting = false;
      whenDone.run();
    });
    if (connection.closing) {
      return;
    }
    connection.closing = true;
    connection.closeCode = code;
    connection.closeReason = reason;
    clearHeartbeats();
    if (!connection.opened || connection.transport == null) {
      if (connection.transport != null) {
        connection.transport.abort();
      }
      finished(connection, code, reason, null);
      return;
    }
    setState(SocketState.CLOSING);
    connection.transport.close(code, reason);
    connection.closeTimer = loop.schedule(() -> {
      connection.transport.abort();
      finished(connection, code, reason, null);
    }, CLOSE_HANDSHAKE_TIMEOUT);
  }

  private void doClose(CompletableFuture<Void> done) {
    reconnectTimer.reset();
    for (PhoenixChannel channel : channels) {
      channel.socketClosing();
    }
    PhoenixException closedError = new PhoenixException("the socket was closed before the message was sent");
    List<Buffered> unsent = new ArrayList<>(sendBuffer);
    sendBuffer.clear();
    for (Buffered buffered : unsent) {
      if (buffered.push != null) {
        buffered.push.fail(closedError);
      }
    }
    failPings("the socket was closed");
    doDisconnect(CloseEvent.NORMAL, "", () -> {
      releaseResources.run();
      done.complete(null);
    });
  }

  private void triggerChannelErrors(String reason) {
    for (PhoenixChannel channel : channels) {
      channel.transportError(reason);
    }
  }

  // ---- event loop: messages ----

  private void received(Connection connection, Message message) {
    if (connection != conn || connection.finished) {
      return;
    }
    String messageRef = message.ref();
    if (messageRef != null) {
      if (messageRef.equals(pendingHeartbeatRef)) {
        clearHeartbeats();
        pendingHeartbeatRef = null;
        heartbeatTimer = loop.schedule(this::sendHeartbeat, options.heartbeatInterval());
      }
      if (fallback != null) {
        fallback.replied(messageRef);
      }
      PendingPing ping = pings.remove(messageRef);
      if (ping != null) {
        ping.timer.cancel();
        Duration roundTrip = Duration.ofNanos(loop.nanoTime() - ping.startNanos);
        dispatcher.dispatch(() -> ping.future.complete(roundTrip));
      }
    }
    // Checked before the message is built: a capturing lambda per message would be garbage even with logging off.
    if (options.log().isLoggable(Level.DEBUG)) {
      options.log().log(Level.DEBUG, "receive " + message.topic() + " " + message.event()
          + (messageRef == null ? "" : " (" + messageRef + ")"));
    }
    for (PhoenixChannel channel : channels) {
      if (channel.isMember(message)) {
        channel.trigger(message);
      }
    }
    messageListeners.fire(dispatcher, message);
  }

  private void badFrame(Connection connection, ProtocolException error) {
    if (connection != conn || connection.finished) {
      return;
    }
    // The exception quotes the frame for the error listeners; the log does not, since a frame may carry secrets.
    log(Level.DEBUG, () -> "dropped a malformed frame from the server; the error listeners have the details");
    errorListeners.fire(dispatcher, error);
  }

  private void write(OutboundMessage message, Push push) {
    Frame frame;
    try {
      frame = serializer.encode(message);
    } catch (RuntimeException e) {
      PhoenixException failure = new PhoenixException("cannot encode '" + message.event() + "' to '"
          + message.topic() + "': " + e.getMessage(), e);
      if (push != null) {
        push.fail(failure);
      } else {
        errorListeners.fire(dispatcher, failure);
      }
      return;
    }
    if (frame.isText()) {
      conn.transport.sendText(frame.text());
    } else {
      conn.transport.sendBinary(frame.binary());
    }
  }

  private void flushSendBuffer() {
    List<Buffered> buffered = new ArrayList<>(sendBuffer);
    sendBuffer.clear();
    for (Buffered entry : buffered) {
      if (entry.push == null || entry.push.stillWanted(entry.message.ref())) {
        write(entry.message, entry.push);
      }
    }
  }

  // ---- event loop: heartbeats ----

  private void resetHeartbeat() {
    clearHeartbeats();
    pendingHeartbeatRef = null;
    if (conn != null && conn.transport != null && conn.transport.needsHeartbeat()) {
      heartbeatTimer = loop.schedule(this::sendHeartbeat, options.heartbeatInterval());
    }
  }

  private void sendHeartbeat() {
    heartbeatTimer = null;
    if (!isConnected()) {
      return;
    }
    pendingHeartbeatRef = makeRef();
    send(heartbeat(pendingHeartbeatRef), null);
    heartbeatTimeoutTimer = loop.schedule(this::heartbeatTimedOut, options.heartbeatTimeout());
  }

  private void heartbeatTimedOut() {
    heartbeatTimeoutTimer = null;
    if (pendingHeartbeatRef == null || conn == null) {
      return;
    }
    pendingHeartbeatRef = null;
    Connection dead = conn;
    PhoenixException timeout = new ConnectionException("heartbeat timeout: no reply within "
        + options.heartbeatTimeout().toMillis() + " ms; aborting the connection and reconnecting", -1, null);
    log(Level.INFO, timeout::getMessage);
    triggerChannelErrors("heartbeat_timeout");
    closeWasClean = false;
    // A link that swallows heartbeats will not carry a close handshake either: drop it at once.
    dead.transport.abort();
    finished(dead, CloseEvent.ABNORMAL, "heartbeat timeout", timeout);
  }

  private void clearHeartbeats() {
    if (heartbeatTimer != null) {
      heartbeatTimer.cancel();
      heartbeatTimer = null;
    }
    if (heartbeatTimeoutTimer != null) {
      heartbeatTimeoutTimer.cancel();
      heartbeatTimeoutTimer = null;
    }
  }

  private static OutboundMessage heartbeat(String ref) {
    return new OutboundMessage(null, ref, HEARTBEAT_TOPIC, HEARTBEAT_EVENT, OutboundPayload.emptyObject());
  }

  private void failPings(String why) {
    for (PendingPing ping : pings.values()) {
      ping.timer.cancel();
      dispatcher.dispatch(() -> ping.future.completeExceptionally(new PhoenixException("ping failed: " + why)));
    }
    pings.clear();
  }

  private void setState(SocketState newState) {
    if (state != newState) {
      state = newState;
      stateListeners.fire(dispatcher, newState);
    }
  }

  private void checkNotClosed() {
    if (closed.get()) {
      throw new IllegalStateException("the socket is closed; build a new one");
    }
  }

  /** One transport's life, and where its callbacks arrive: decoded on the transport's thread, applied on the loop. */
  private final class Connection implements Transport.Listener {
    final List<Runnable> whenFinished = new ArrayList<>(1);
    Transport transport;
    boolean opened;
    boolean closing;
    boolean finished;
    int closeCode = CloseEvent.NORMAL;
    String closeReason = "";
    PhoenixException lastError;
    EventLoop.Cancellable closeTimer;

    @Override
    public void onOpen() {
      post(() -> opened(this));
    }

    @Override
    public void onText(String text) {
      decoded(Frame.text(text));
    }

    @Override
    public void onBinary(ByteBuffer data) {
      decoded(Frame.binary(data));
    }

    private void decoded(Frame frame) {
      Message message;
      try {
        message = serializer.decode(frame);
      } catch (ProtocolException e) {
        post(() -> badFrame(this, e));
        return;
      } catch (RuntimeException e) {
        ProtocolException error = new ProtocolException("cannot decode a frame: " + e, e);
        post(() -> badFrame(this, error));
        return;
      }
      post(() -> received(this, message));
    }

    @Override
    public void onError(Throwable error) {
      PhoenixException failure = error instanceof PhoenixException phoenix ? phoenix
          : new ConnectionException("transport failed: " + error, -1, error);
      post(() -> connectionError(this, failure));
    }

    @Override
    public void onClose(int code, String reason) {
      post(() -> {
        if (closeTimer != null) {
          closeTimer.cancel();
        }
        finished(this, code, reason == null ? "" : reason, null);
      });
    }

    private void post(Runnable task) {
      try {
        loop.execute(task);
      } catch (RejectedExecutionException socketClosed) {
        // The socket is closed and its loop stopped: nothing is left to tell.
      }
    }
  }

  private record Buffered(OutboundMessage message, Push push) {}

  private record PendingPing(long startNanos, GuardedFuture<Duration> future, EventLoop.Cancellable timer) {}

  /**
   * Builds a {@link PhoenixSocket}. Every option has phoenix.js's default. Not thread-safe; the socket it builds is.
   */
  public static final class Builder {
    private final String url;
    private Supplier<? extends Map<String, ?>> params = Map::of;
    private String vsn = Serializer.V2;
    private MessageCodec codec;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private Duration heartbeatTimeout;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private ReconnectPolicy reconnectPolicy = ReconnectPolicy.phoenixDefault();
    private RejoinPolicy rejoinPolicy = RejoinPolicy.phoenixDefault();
    private Log log;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Supplier<String> authToken;
    private String literalAuthToken;
    private ObjectMapper mapper = DEFAULT_MAPPER;
    private Executor callbackExecutor;
    private int maxInboundFrameBytes = 8 * 1024 * 1024;
    private int sendBufferLimit = 1000;
    private int pushBufferLimit = 1000;
    private Transport.Factory transport;
    private BuiltInTransport builtInTransport = BuiltInTransport.WEBSOCKET;
    private Duration longPollTimeout = TransportRequest.DEFAULT_LONG_POLL_TIMEOUT;
    private Duration longPollFallback;
    private Transport.Factory longPollFallbackTransport;
    private FallbackMemory fallbackMemory = FallbackMemory.shared();
    private EventLoopGroup eventLoopGroup;
    private EventLoop eventLoop;

    private Builder(String url) {
      this.url = url;
    }

    /**
     * Sets the connect params, sent in the URL query (nested maps as {@code a[b]=c}). They are fixed; see
     * {@link #params(Supplier)} for params that change.
     *
     * @param params the params, copied
     * @return this builder
     */
    public Builder params(Map<String, ?> params) {
      Map<String, ?> copy = new LinkedHashMap<>(Objects.requireNonNull(params, "params"));
      this.params = () -> copy;
      return this;
    }

    /**
     * Sets a supplier of connect params, called on the event loop before every connect and reconnect.
     *
     * @param params the supplier
     * @return this builder
     */
    public Builder params(Supplier<? extends Map<String, ?>> params) {
      this.params = Objects.requireNonNull(params, "params");
      return this;
    }

    /**
     * Chooses the serializer: {@code "2.0.0"} (the default: JSON arrays and binary frames) or {@code "1.0.0"}
     * (JSON objects, no binary).
     *
     * @param vsn the version
     * @return this builder
     */
    public Builder vsn(String vsn) {
      this.vsn = Objects.requireNonNull(vsn, "vsn");
      return this;
    }

    /**
     * Replaces Phoenix's serializer by a custom wire format, for an endpoint configured with its own serializer;
     * the codec's {@link MessageCodec#vsn()} is sent instead of {@link #vsn(String)}'s.
     *
     * @param codec the codec
     * @return this builder
     */
    public Builder codec(MessageCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Sets the default timeout of joins, pushes, leaves and pings; 10 seconds by default.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the time between heartbeats (counted from the previous heartbeat's reply); 30 seconds by default.
     *
     * @param interval a positive duration
     * @return this builder
     */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * Sets how long a heartbeat may wait for its reply before the connection counts as dead, is aborted, and
     * reconnects; by default the heartbeat interval.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder heartbeatTimeout(Duration timeout) {
      this.heartbeatTimeout = timeout;
      return this;
    }

    /**
     * Sets how long establishing a connection may take; 10 seconds by default.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Sets when to reconnect after a close the user did not ask for; phoenix.js's steps by default.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder reconnectPolicy(ReconnectPolicy policy) {
      this.reconnectPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets when channels rejoin after an error, and whether refused joins are retried; phoenix.js's by default.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder rejoinPolicy(RejoinPolicy policy) {
      this.rejoinPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the logger (JVM only: Android has no {@code System.Logger}). By default the library logs to {@code
     * System.getLogger("io.phoenixchannels")} on the JVM, which bridges to SLF4J or Log4j when they are set up, and
     * to {@code java.util.logging.Logger.getLogger("io.phoenixchannels")} on Android, which reaches logcat. Traffic
     * is logged at DEBUG without payloads, params or tokens.
     *
     * @param logger the logger
     * @return this builder
     */
    @AndroidExempt("System.Logger exists only on the JVM; a caller holding one runs there")
    public Builder logger(System.Logger logger) {
      this.log = Log.of(Objects.requireNonNull(logger, "logger"));
      return this;
    }

    /**
     * Sets a {@code java.util.logging} logger, the one kind Android and the JVM both have. Levels map as DEBUG to
     * {@code FINE}, INFO, WARNING, and ERROR to {@code SEVERE}.
     *
     * @param logger the logger
     * @return this builder
     */
    public Builder logger(java.util.logging.Logger logger) {
      this.log = Log.of(Objects.requireNonNull(logger, "logger"));
      return this;
    }

    /**
     * Adds an HTTP header to the WebSocket upgrade (or the long-poll requests).
     *
     * @param name the header name
     * @param value the value
     * @return this builder
     */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets an auth token, which Phoenix 1.8 hands to {@code connect/3} as {@code connect_info.auth_token}. It is
     * never put in the URL or logged.
     *
     * @param token the token
     * @return this builder
     */
    public Builder authToken(String token) {
      Objects.requireNonNull(token, "token");
      this.literalAuthToken = token;
      this.authToken = () -> token;
      return this;
    }

    /**
     * Sets an auth token supplier, called on the event loop before every connect, so an expired token is
     * replaced on reconnect.
     *
     * @param token the supplier
     * @return this builder
     */
    public Builder authToken(Supplier<String> token) {
      this.literalAuthToken = null;
      this.authToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Sets the Jackson mapper that writes payloads and converts typed payloads and replies.
     *
     * @param mapper the mapper, for example with the modules your payload types need
     * @return this builder
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Sets where callbacks run: {@code SwingUtilities::invokeLater}, {@code Platform::runLater}, an Android
     * handler's {@code post}, a queue drained once per game frame... By default they run on the event loop.
     * Either way, one socket's callbacks never overlap and arrive in order.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the largest frame the server may send; a larger one closes the connection with 1009 and reconnects.
     * 8 MiB by default.
     *
     * @param bytes a positive size
     * @return this builder
     */
    public Builder maxInboundFrameBytes(int bytes) {
      this.maxInboundFrameBytes = bytes;
      return this;
    }

    /**
     * Sets how many messages may wait for the connection (joins, leaves) while disconnected; one more fails at
     * once. 1000 by default.
     *
     * @param limit a positive count
     * @return this builder
     */
    public Builder sendBufferLimit(int limit) {
      this.sendBufferLimit = limit;
      return this;
    }

    /**
     * Sets how many pushes each channel may hold while it is not joined; one more fails at once with an
     * {@code "error"} reply whose {@link Reply#failure()} says so. 1000 by default.
     *
     * @param limit a positive count
     * @return this builder
     */
    public Builder pushBufferLimit(int limit) {
      this.pushBufferLimit = limit;
      return this;
    }

    /**
     * Sets the transport; by default the JDK WebSocket ({@link io.phoenixchannels.transport.WebSocketTransport})
     * over an HTTP client shared by all sockets. Replaces a {@linkplain #transport(BuiltInTransport) built-in
     * choice}.
     *
     * @param factory the transport factory, such as {@code LongPollTransport.factory(myHttpClient)} or the OkHttp
     *     transport's
     * @return this builder
     */
    public Builder transport(Transport.Factory factory) {
      this.transport = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Chooses a built-in transport over the HTTP client that sockets share: the WebSocket (the default) or long-poll
     * ({@link io.phoenixchannels.transport.LongPollTransport}), which works where WebSocket upgrades are blocked.
     * Replaces a {@linkplain #transport(Transport.Factory) transport factory}. Channels, pushes, Presence and
     * reconnects behave the same over both; long-poll has no heartbeats and cannot carry the server's binary
     * frames or a custom {@link #codec(MessageCodec) codec}.
     *
     * @param kind the transport
     * @return this builder
     */
    public Builder transport(BuiltInTransport kind) {
      this.builtInTransport = Objects.requireNonNull(kind, "kind");
      this.transport = null;
      return this;
    }

    /**
     * Sets how long a long-poll request may go unanswered before the transport closes with 1005 and the socket
     * reconnects; 20 seconds by default, as in phoenix.js (twice Phoenix's 10 s poll window: keep it longer than
     * the server's window, or idle polls time out). Only long-poll uses it.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder longPollTimeout(Duration timeout) {
      this.longPollTimeout = timeout;
      return this;
    }

    /**
     * Falls back to long-poll when the WebSocket cannot be established within this time after {@link
     * PhoenixSocket#connect()} — it does not open, or it does not answer its first heartbeat (sent as it opens) —
     * or fails before it opens; phoenix.js's {@code longPollFallbackMs} (2.5 s is its usual value). The socket
     * then stays on long-poll, and the endpoint is remembered in the {@link #fallbackMemory(FallbackMemory)
     * fallback memory}, so that later sockets to it go straight to long-poll. A WebSocket that passed its first
     * heartbeat is not abandoned later (a server restart reconnects over the WebSocket), and a refused TCP
     * connection (nothing listening) is retried over the WebSocket, since long-poll would find the port closed
     * too. Long-poll runs over the HTTP client sockets share; see {@link #longPollFallback(Duration,
     * Transport.Factory)} for your own.
     *
     * @param after a positive duration
     * @return this builder
     */
    public Builder longPollFallback(Duration after) {
      this.longPollFallback = after;
      this.longPollFallbackTransport = null;
      return this;
    }

    /**
     * Falls back to the given long-poll transport, as {@link #longPollFallback(Duration)} describes; for example
     * {@code LongPollTransport.factory(myHttpClient)} with the client your WebSocket uses.
     *
     * @param after a positive duration
     * @param longPoll the long-poll transport factory
     * @return this builder
     */
    public Builder longPollFallback(Duration after, Transport.Factory longPoll) {
      this.longPollFallback = after;
      this.longPollFallbackTransport = Objects.requireNonNull(longPoll, "longPoll");
      return this;
    }

    /**
     * Sets where the {@linkplain #longPollFallback(Duration) long-poll fallback} remembers endpoints that need
     * long-poll; by default {@link FallbackMemory#shared()}, one in-memory record for the JVM, as phoenix.js keeps
     * it in the browser's session storage.
     *
     * @param memory the memory
     * @return this builder
     */
    public Builder fallbackMemory(FallbackMemory memory) {
      this.fallbackMemory = Objects.requireNonNull(memory, "memory");
      return this;
    }

    /**
     * Pins the socket to a loop of this group instead of the shared default group.
     *
     * @param group the group, owned by the caller
     * @return this builder
     */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.eventLoopGroup = Objects.requireNonNull(group, "group");
      this.eventLoop = null;
      return this;
    }

    /**
     * Pins the socket to this loop, for example a {@link ManualEventLoop} in a test.
     *
     * @param loop the loop, owned by the caller
     * @return this builder
     */
    public Builder eventLoop(EventLoop loop) {
      this.eventLoop = Objects.requireNonNull(loop, "loop");
      this.eventLoopGroup = null;
      return this;
    }

    /**
     * Builds the socket, not connected yet.
     *
     * @return the socket
     * @throws IllegalArgumentException for a bad URL or scheme, an unsupported vsn, a non-positive duration or
     *     limit, or a literal auth token that the default transport cannot send
     */
    public PhoenixSocket build() {
      URI endpoint = EndpointUrl.parse(url);
      if (codec == null) {
        Serializer.forVsn(vsn, mapper);
      }
      requirePositive("timeout", timeout);
      requirePositive("heartbeatInterval", heartbeatInterval);
      Duration effectiveHeartbeatTimeout = heartbeatTimeout == null ? heartbeatInterval : heartbeatTimeout;
      requirePositive("heartbeatTimeout", effectiveHeartbeatTimeout);
      requirePositive("connectTimeout", connectTimeout);
      requirePositive("maxInboundFrameBytes", maxInboundFrameBytes);
      requirePositive("sendBufferLimit", sendBufferLimit);
      requirePositive("pushBufferLimit", pushBufferLimit);
      requirePositive("longPollTimeout", longPollTimeout);
      boolean longPollOnly = transport == null && builtInTransport == BuiltInTransport.LONG_POLL;
      if (longPollFallback != null) {
        requirePositive("longPollFallback", longPollFallback);
        if (longPollOnly) {
          throw new IllegalArgumentException("longPollFallback needs a WebSocket transport to fall back from; this "
              + "socket uses long-poll already");
        }
      }
      if (codec != null && (longPollOnly || (transport != null && !transport.carriesCustomCodecs())
          || (longPollFallback != null && (longPollFallbackTransport == null
              || !longPollFallbackTransport.carriesCustomCodecs())))) {
        throw new IllegalArgumentException("a custom MessageCodec cannot be used over long-poll, which carries "
            + "Phoenix's JSON serializers only (as in phoenix.js); drop the codec, or the long-poll transport or "
            + "fallback");
      }
      if (transport == null && !longPollOnly && longPollFallback == null && literalAuthToken != null
          && AuthTokenSubprotocols.tokenSubprotocol(literalAuthToken).indexOf('/') >= 0) {
        throw new IllegalArgumentException("the auth token's Base64 form contains '/', which is not legal in the "
            + "Sec-WebSocket-Protocol header, so the default JDK WebSocket transport cannot send it; use the OkHttp "
            + "transport (phoenix-channels-okhttp) or the long-poll transport, or a token whose Base64 has no '/'");
      }

      EventLoop loop;
      Runnable releaseLoop = () -> { };
      if (eventLoop != null) {
        loop = eventLoop;
      } else if (eventLoopGroup != null) {
        loop = eventLoopGroup.next();
      } else {
        EventLoopGroup shared = EventLoopGroup.acquireShared();
        loop = shared.next();
        releaseLoop = () -> EventLoopGroup.releaseShared(shared);
      }
      Transport.Factory factory = transport;
      List<Runnable> releaseTransports = new ArrayList<>(2);
      if (factory == null) {
        // Through SharedHttpClient only, so that this class names nothing of java.net.http (absent on Android).
        SharedHttpClient.TransportLease lease = SharedHttpClient.acquireTransport(builtInTransport);
        factory = lease.factory();
        releaseTransports.add(lease.release());
      }
      Transport.Factory longPoll = longPollFallbackTransport;
      if (longPollFallback != null && longPoll == null) {
        SharedHttpClient.TransportLease lease = SharedHttpClient.acquireTransport(BuiltInTransport.LONG_POLL);
        longPoll = lease.factory();
        releaseTransports.add(lease.release());
      }
      Transports transports = new Transports(longPollTimeout, longPollFallback, longPoll, fallbackMemory);
      Runnable releaseLoopFinal = releaseLoop;
      Runnable releaseTransportFinal = () -> releaseTransports.forEach(Runnable::run);
      SocketOptions options = new SocketOptions(endpoint, params, vsn, codec, timeout, heartbeatInterval,
          effectiveHeartbeatTimeout, connectTimeout, reconnectPolicy, rejoinPolicy,
          log == null ? Log.platformDefault(Log.NAME) : log, Map.copyOf(headers),
          authToken, mapper, callbackExecutor, maxInboundFrameBytes, sendBufferLimit, pushBufferLimit, transport);
      return new PhoenixSocket(options, loop, () -> {
        releaseTransportFinal.run();
        releaseLoopFinal.run();
      }, factory, transports);
    }

    /**
     * The socket's transport settings beyond its factory.
     *
     * @param fallbackAfter the long-poll fallback time, or {@code null} for no fallback
     * @param longPoll the fallback's transport, or {@code null} without fallback
     */
    private record Transports(Duration longPollTimeout, Duration fallbackAfter, Transport.Factory longPoll,
        FallbackMemory memory) {}

    private static void requirePositive(String name, Duration value) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
      }
    }

    private static void requirePositive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
    }
  }
}
