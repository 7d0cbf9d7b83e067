package io.phoenixchannels;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.internal.AndroidExempt;
import io.phoenixchannels.internal.CallbackDispatcher;
import io.phoenixchannels.internal.EndpointUrl;
import io.phoenixchannels.internal.GuardedFuture;
import io.phoenixchannels.internal.SocketOptions;
import io.phoenixchannels.internal.log.Log;
import io.phoenixchannels.internal.log.Log.Level;
import io.phoenixchannels.internal.protocol.CodecSerializer;
import io.phoenixchannels.internal.protocol.OutboundMessage;
import io.phoenixchannels.internal.protocol.Serializer;
import io.phoenixchannels.transport.BuiltInTransport;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.net.URI;
import java.time.Duration;
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
 * block; waiting on one of the socket's futures from the loop or a callback throws instead of deadlocking. A
 * callback that throws, {@code Error}s included, is logged, and the socket carries on as if it had returned.
 * Sockets built without a loop or a group share the default {@link EventLoopGroup}.
 *
 * <h2>Transports</h2>
 * A WebSocket over the JDK's HTTP client, which sockets share, by default; long-poll with {@link
 * Builder#transport(BuiltInTransport)}, any other transport with {@link Builder#transport(Transport.Factory)}.
 * Channels, pushes, Presence and reconnects behave the same over all of them; long-poll has no heartbeats, cannot
 * carry the server's binary frames or a custom {@linkplain Builder#codec codec}, and waits up to its {@linkplain
 * Builder#longPollTimeout timeout} (20 s by default, twice Phoenix's 10 s poll window: keep it longer than the
 * server's window, or idle polls time out) for each poll before it closes with 1005 and reconnects.
 *
 * <p>With {@link Builder#longPollFallback(Duration)} the socket starts on the WebSocket and falls back to long-poll
 * when the WebSocket cannot be established within that time after {@link #connect()}: it does not open, it does
 * not answer its first heartbeat (sent as it opens), or it fails before it opens. The socket then stays on
 * long-poll, and its endpoint is remembered in the {@linkplain Builder#fallbackMemory fallback memory} (by default
 * {@link FallbackMemory#shared()}, one in-memory record for the JVM), so that later sockets to it go straight to
 * long-poll. A WebSocket that passed its first heartbeat is not abandoned later (a server restart reconnects over
 * the WebSocket), and a refused TCP connection (nothing listening) is retried over the WebSocket, since long-poll
 * would find the port closed too.
 *
 * <h2>Reconnects</h2>
 * After any close the user did not ask for — a network failure, a refused upgrade, a missed heartbeat, and also
 * the server's own close with 1000 or 1001 — the socket reconnects as its {@link ReconnectPolicy} says, and its
 * channels rejoin. {@link #disconnect()} stops that; {@link #connect()} starts again. {@link #close()} ends the
 * socket for good: it leaves its channels, disconnects, and releases its threads. A heartbeat goes out an interval
 * after the previous one was answered; one unanswered within the heartbeat timeout aborts the connection (a link
 * that swallows heartbeats will not carry a close handshake either) and reconnects.
 *
 * <h2>Logging</h2>
 * To {@code System.getLogger("io.phoenixchannels")} on the JVM, which bridges to SLF4J or Log4j when they are set
 * up, and to {@code java.util.logging.Logger.getLogger("io.phoenixchannels")} on Android, which reaches logcat,
 * unless a {@linkplain Builder#logger(java.util.logging.Logger) logger} is set. Traffic is logged at DEBUG without
 * payloads, params or tokens.
 */
public final class PhoenixSocket implements AutoCloseable {
  private static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();
  /** How long {@link #close()} blocks its caller for the transport to close. */
  private static final Duration CLOSE_BLOCKS_CALLER_AT_MOST = Duration.ofSeconds(2);

  private final SocketOptions options;
  private final SocketResources resources;
  private final EventLoop loop;
  private final Serializer serializer;
  private final CallbackDispatcher dispatcher;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<PhoenixChannel> channels = new CopyOnWriteArrayList<>();
  private final SocketConnections connections;

  private PhoenixSocket(SocketOptions options) {
    this.options = options;
    this.resources = SocketResources.acquire(options);
    this.loop = resources.loop;
    this.serializer = options.codec() != null ? new CodecSerializer(options.codec())
        : Serializer.forVsn(options.vsn(), options.mapper());
    this.dispatcher = new CallbackDispatcher(loop, options.callbackExecutor(), options.log());
    this.connections = new SocketConnections(this, channels);
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

  /**
   * Connects, unless a connection is open or being made (then it does nothing). Channels joined before connecting
   * join once the connection opens.
   *
   * @throws IllegalStateException if the socket was closed
   */
  public void connect() {
    checkNotClosed();
    runOnLoop(connections::connect);
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
      runOnLoop(() -> connections.disconnect(code, safeReason, () -> dispatcher.dispatch(() -> done.complete(null))));
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
      loop.execute(() -> {
        for (PhoenixChannel channel : channels) {
          channel.socketClosing();
        }
        connections.close(() -> done.complete(null));
      });
    } catch (RejectedExecutionException loopStopped) {
      resources.release(); // the caller closed the event-loop group first: nothing can run any more
      return;
    }
    if (!dispatcher.wouldDeadlock()) {
      try {
        done.get(CLOSE_BLOCKS_CALLER_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log(Level.DEBUG, () -> "socket close did not finish within " + CLOSE_BLOCKS_CALLER_AT_MOST.toMillis()
            + " ms: " + e);
      }
    }
  }

  /**
   * Returns the connection state, as the event loop last published it.
   *
   * @return the state
   */
  public SocketState state() {
    return connections.state();
  }

  /**
   * Tells whether the transport is open.
   *
   * @return true when {@link #state()} is {@link SocketState#OPEN}
   */
  public boolean isConnected() {
    return state() == SocketState.OPEN;
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
    // Listed at once, so that channels() shows it to its creator; confirmed on the loop, where close() runs: a
    // channel listed after close() went through the list is closed there instead of waiting forever.
    channels.add(channel);
    try {
      runOnLoop(() -> {
        if (closed.get()) {
          channel.socketClosing();
        }
      });
    } catch (IllegalStateException loopStopped) {
      channels.remove(channel);
      throw loopStopped;
    }
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
    return connections.openListeners.add(ignored -> callback.run());
  }

  /**
   * Registers a callback for each closing of the transport: its code, reason, whether it was requested, and
   * what failed if something did.
   *
   * @param callback runs on the callback executor
   * @return a subscription that removes it
   */
  public Subscription onClose(Consumer<CloseEvent> callback) {
    return connections.closeListeners.add(callback);
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
    return connections.errorListeners.add(callback);
  }

  /**
   * Registers a callback for every message received, before or whatever the channels do with it (heartbeat replies
   * included).
   *
   * @param callback runs on the callback executor
   * @return a subscription that removes it
   */
  public Subscription onMessage(Consumer<Message> callback) {
    return connections.messageListeners.add(callback);
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
    return connections.stateListeners.add(callback);
  }

  /**
   * Measures the round trip to the server with a heartbeat message.
   *
   * @return a future of the round-trip time; it fails at once with a {@link PhoenixException} when the socket is
   *     not connected, and with a {@link PushTimeoutException} after the socket's timeout
   */
  public CompletableFuture<Duration> ping() {
    GuardedFuture<Duration> result = new GuardedFuture<>(dispatcher);
    runOnLoop(() -> connections.ping(result));
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
    return "PhoenixSocket{" + options.endpoint().getHost() + ", " + state() + "}";
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

  SocketResources resources() {
    return resources;
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

  /** Whether the caller runs on the loop, which loop-only entry points assert: the loop's state takes no locks. */
  boolean onLoop() {
    return loop.inEventLoop();
  }

  void log(Level level, Supplier<String> message) {
    options.log().log(level, message);
  }

  /** Reports an error to the error listeners, from any thread. */
  void reportError(PhoenixException error) {
    // Such errors quote payloads, which may carry secrets: the listeners get the details, the log only the kind.
    log(Level.DEBUG, () -> "reported a " + error.getClass().getSimpleName() + " to the error listeners");
    try {
      runOnLoop(() -> connections.errorListeners.fire(dispatcher, error));
    } catch (IllegalStateException socketClosed) {
      // Nobody is left to tell.
    }
  }

  /** Returns the next message reference. */
  String makeRef() {
    return connections.makeRef();
  }

  /** Sends now if connected, else buffers (bounded): a push that does not fit fails at once. */
  void send(OutboundMessage message, Push push) {
    connections.send(message, push);
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Leaves any other channel that has joined or is joining the topic: the server keeps one join per topic. */
  void leaveOpenTopic(String topic, PhoenixChannel joining) {
    assert onLoop();
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

  private void checkNotClosed() {
    if (closed.get()) {
      throw new IllegalStateException("the socket is closed; build a new one");
    }
  }

  /**
   * Builds a {@link PhoenixSocket}; every option has phoenix.js's default unless it says otherwise. Not
   * thread-safe; the socket it builds is. The class documentation of {@link PhoenixSocket} says how the options
   * play together.
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
    private ObjectMapper mapper = DEFAULT_MAPPER;
    private Executor callbackExecutor;
    private int maxInboundFrameBytes = 8 * 1024 * 1024;
    private int sendBufferLimit = 1000;
    private int pushBufferLimit = 1000;
    private int inboundWindow = 1024;
    private long maxOutboundBytes = 16L * 1024 * 1024;
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
     * Sets fixed connect params, sent in the URL query (nested maps as {@code a[b]=c}).
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
     * Replaces Phoenix's serializer by a custom wire format; the codec's {@link MessageCodec#vsn()} is sent
     * instead of {@link #vsn(String)}'s.
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
     * Sets the time from a heartbeat's reply to the next heartbeat; 30 seconds by default.
     *
     * @param interval a positive duration
     * @return this builder
     */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * Sets how long a heartbeat may wait for its reply before the connection counts as dead; by default the
     * heartbeat interval.
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
     * Sets when to reconnect after a close the user did not ask for.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder reconnectPolicy(ReconnectPolicy policy) {
      this.reconnectPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets when channels rejoin after an error, and whether refused joins are retried.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder rejoinPolicy(RejoinPolicy policy) {
      this.rejoinPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the logger (JVM only: Android has no {@code System.Logger}).
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
     * never put in the URL or logged. The default JDK WebSocket transport cannot send a token whose Base64 form
     * contains {@code /} and fails each connection attempt saying so; the OkHttp, Netty and long-poll transports can.
     *
     * @param token the token
     * @return this builder
     */
    public Builder authToken(String token) {
      Objects.requireNonNull(token, "token");
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
     * Sets how many messages may wait for the connection (joins, leaves) while disconnected; one more ends at once
     * as {@code "failed"}. 1000 by default.
     *
     * @param limit a positive count
     * @return this builder
     */
    public Builder sendBufferLimit(int limit) {
      this.sendBufferLimit = limit;
      return this;
    }

    /**
     * Sets how many pushes each channel may hold while it is not joined; one more ends at once as
     * {@code "failed"}, with a {@link Reply#failure()} that says so. 1000 by default.
     *
     * @param limit a positive count
     * @return this builder
     */
    public Builder pushBufferLimit(int limit) {
      this.pushBufferLimit = limit;
      return this;
    }

    /**
     * Sets how many frames from the server may wait for the application (received, not yet handed to its
     * callbacks) before the socket stops reading: then TCP pushes back on the server instead of the heap filling up,
     * and reading resumes once half of them are handled. 1024 by default; 0 for no limit (as phoenix.js). A socket
     * paused for long reads no heartbeat replies either, so callbacks that hold it back for longer than the
     * heartbeat timeout make it reconnect.
     *
     * @param frames a positive number of frames, or 0 for no limit
     * @return this builder
     */
    public Builder inboundWindow(int frames) {
      this.inboundWindow = frames;
      return this;
    }

    /**
     * Sets how many bytes may be queued for the server in the transport; past it the connection fails with a
     * {@link ConnectionException} that says so, the push that went over fails with it, and the socket reconnects as
     * after any failure. 16 MiB by default, OkHttp's own limit.
     *
     * @param bytes a positive number of bytes
     * @return this builder
     */
    public Builder maxOutboundBytes(long bytes) {
      this.maxOutboundBytes = bytes;
      return this;
    }

    /**
     * Sets the transport, replacing a {@linkplain #transport(BuiltInTransport) built-in choice}.
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
     * Chooses a built-in transport over the HTTP client that sockets share: the WebSocket (the default) or
     * long-poll, which works where WebSocket upgrades are blocked. Replaces a {@linkplain
     * #transport(Transport.Factory) transport factory}.
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
     * Sets how long a long-poll request may go unanswered before the transport closes with 1005; 20 seconds by
     * default. Only long-poll uses it.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder longPollTimeout(Duration timeout) {
      this.longPollTimeout = timeout;
      return this;
    }

    /**
     * Falls back to long-poll, over the HTTP client sockets share, when the WebSocket cannot be established within
     * this time after {@link PhoenixSocket#connect()}; phoenix.js's {@code longPollFallbackMs}.
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
     * Falls back to the given long-poll transport, as {@link #longPollFallback(Duration)} does.
     *
     * @param after a positive duration
     * @param longPoll the long-poll transport factory, such as {@code LongPollTransport.factory(myHttpClient)}
     * @return this builder
     */
    public Builder longPollFallback(Duration after, Transport.Factory longPoll) {
      this.longPollFallback = after;
      this.longPollFallbackTransport = Objects.requireNonNull(longPoll, "longPoll");
      return this;
    }

    /**
     * Sets where the long-poll fallback remembers endpoints that need long-poll.
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
     *     limit
     */
    public PhoenixSocket build() {
      return new PhoenixSocket(new SocketOptions(EndpointUrl.parse(url), params, vsn, codec, timeout,
          heartbeatInterval, heartbeatTimeout, connectTimeout, reconnectPolicy, rejoinPolicy, log, headers,
          authToken, mapper, callbackExecutor, maxInboundFrameBytes, sendBufferLimit,
          pushBufferLimit, transport, builtInTransport, longPollTimeout, longPollFallback,
          longPollFallbackTransport, fallbackMemory, eventLoopGroup, eventLoop, inboundWindow, maxOutboundBytes));
    }
  }
}
