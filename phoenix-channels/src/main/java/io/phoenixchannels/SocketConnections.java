package io.phoenixchannels;

import io.phoenixchannels.internal.BoundedBuffer;
import io.phoenixchannels.internal.CallbackDispatcher;
import io.phoenixchannels.internal.EndpointUrl;
import io.phoenixchannels.internal.GuardedFuture;
import io.phoenixchannels.internal.Heartbeat;
import io.phoenixchannels.internal.InboundWindow;
import io.phoenixchannels.internal.ListenerList;
import io.phoenixchannels.internal.RetryTimer;
import io.phoenixchannels.internal.SocketOptions;
import io.phoenixchannels.internal.UndeliveredSends;
import io.phoenixchannels.internal.log.Log.Level;
import io.phoenixchannels.internal.protocol.Frame;
import io.phoenixchannels.internal.protocol.OutboundMessage;
import io.phoenixchannels.internal.protocol.OutboundPayload;
import io.phoenixchannels.internal.protocol.Serializer;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * A socket's connection state machine: connects, opens, closes at the user's request, and reconnects after any
 * other close, one connection after another; and the traffic of the current connection (the bounded send buffer
 * while there is none, heartbeats, inbound messages to the channels). {@link PhoenixSocket} is its public face.
 *
 * <p>Lives on the socket's event loop: every method but {@link #state()} is called there.
 */
final class SocketConnections {
  /** How long the server may take to answer a close before the transport is dropped. */
  private static final Duration CLOSE_HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);

  final ListenerList<Boolean> openListeners = new ListenerList<>();
  final ListenerList<CloseEvent> closeListeners = new ListenerList<>();
  final ListenerList<PhoenixException> errorListeners = new ListenerList<>();
  final ListenerList<Message> messageListeners = new ListenerList<>();
  final ListenerList<SocketState> stateListeners = new ListenerList<>();
  private final PhoenixSocket socket;
  private final SocketOptions options;
  private final EventLoop loop;
  private final CallbackDispatcher dispatcher;
  private final Serializer serializer;
  private final SocketResources resources;
  private final List<PhoenixChannel> channels;
  private final LongPollFallback fallback;
  private final BoundedBuffer<Buffered> sendBuffer;
  private final Heartbeat heartbeat;
  private final RetryTimer reconnectTimer;
  private volatile SocketState state = SocketState.CLOSED;
  /** The current connection: being made, open, or closing; {@code null} between connections. */
  private Connection conn;
  /** The user's wish: set by {@link #connect()}, cleared by {@link #disconnect} and {@link #close}. */
  private boolean wantsConnection;
  private long ref;

  /**
   * @param channels the socket's channels, which the connection's events and messages reach
   */
  SocketConnections(PhoenixSocket socket, List<PhoenixChannel> channels) {
    this.socket = socket;
    this.options = socket.options();
    this.loop = socket.loop();
    this.dispatcher = socket.dispatcher();
    this.serializer = socket.serializer();
    this.resources = socket.resources();
    this.channels = channels;
    this.fallback = options.longPollFallback() == null ? null : new LongPollFallback(loop, resources.transport,
        resources.longPollFallback, options.longPollFallback(), options.fallbackMemory(), options.endpoint(),
        options.log(), this::fallBackToLongPoll);
    this.sendBuffer = new BoundedBuffer<>(options.sendBufferLimit());
    this.heartbeat = new Heartbeat(loop, dispatcher, options.heartbeatInterval(), options.heartbeatTimeout(),
        options.timeout(), this::sendHeartbeat, this::heartbeatUnanswered);
    this.reconnectTimer = new RetryTimer(loop, () -> {
      if (conn == null && wantsConnection && !socket.isClosed()) {
        openConnection();
      }
    });
  }

  /** The state the loop last published; any thread. */
  SocketState state() {
    return state;
  }

  /** Connects, unless a connection is open or being made. */
  void connect() {
    assert loop.inEventLoop();
    if (socket.isClosed() || (conn != null && !conn.closeRequested)) {
      return;
    }
    wantsConnection = true;
    openConnection();
  }

  /** Measures a round trip into {@code result}. */
  void ping(GuardedFuture<Duration> result) {
    assert loop.inEventLoop();
    heartbeat.ping(result, state == SocketState.OPEN);
  }

  /** The socket closes for good: fails what waits to be sent, disconnects, and then releases its resources. */
  void close(Runnable whenClosed) {
    assert loop.inEventLoop();
    PhoenixException closedError = new PhoenixException("the socket was closed before the message was sent");
    for (Buffered unsent : sendBuffer.drain()) {
      if (unsent.push != null) {
        unsent.push.fail(closedError);
      }
    }
    heartbeat.failPings("the socket was closed");
    disconnect(CloseEvent.NORMAL, "", () -> {
      resources.release();
      whenClosed.run();
    });
  }

  /** Returns the next message reference. */
  String makeRef() {
    assert loop.inEventLoop();
    ref = nextRef(ref);
    return Long.toString(ref);
  }

  /** Refs count up from 1 and start again at 1 after {@code Long.MAX_VALUE}, never reaching a negative number. */
  static long nextRef(long current) {
    return current == Long.MAX_VALUE ? 1 : current + 1;
  }

  /** Sends now if connected, else buffers (bounded): a push that does not fit fails at once. */
  void send(OutboundMessage message, Push push) {
    assert loop.inEventLoop();
    if (tracing()) {
      options.log().log(Level.DEBUG, "push " + message.topic() + " " + message.event() + " ("
          + message.joinRef() + ", " + message.ref() + ")");
    }
    if (state == SocketState.OPEN) {
      write(message, push);
    } else if (!sendBuffer.offer(new Buffered(message, push))) {
      PhoenixException full = new PhoenixException("the send buffer is full (" + sendBuffer.size()
          + " messages waiting for the connection); raise PhoenixSocket.Builder.sendBufferLimit or wait for the "
          + "socket to connect");
      if (push != null) {
        push.fail(full);
      } else {
        socket.log(Level.WARNING, full::getMessage);
      }
    }
  }

  // ---- event loop: connection lifecycle ----

  private void openConnection() {
    if (conn != null) {
      // A connect during a disconnect: end the old connection now, so its close comes before the new open.
      conn.transport.abort();
      connectionClosed(conn, conn.closeCode, conn.closeReason, null);
    }
    Connection connection = new Connection();
    conn = connection;
    publish(SocketState.CONNECTING);
    TransportRequest request;
    try {
      Map<String, ?> params = options.params().get();
      String token = options.authToken() == null ? null : options.authToken().get();
      request = TransportRequest.builder(options.endpoint())
          .query(EndpointUrl.query(params, serializer.vsn()))
          .authToken(token)
          .headers(options.headers())
          .maxInboundFrameBytes(options.maxInboundFrameBytes())
          .connectTimeout(options.connectTimeout())
          .eventLoop(loop)
          .longPollTimeout(options.longPollTimeout())
          .build();
    } catch (Throwable e) { // the suppliers are user code
      connectionFailed(connection, new ConnectionException("cannot build the connect request (params or auth "
          + "token supplier failed): " + e, -1, e));
      return;
    }
    socket.log(Level.DEBUG, () -> "connecting to " + request);
    try {
      Transport.Factory factory = fallback == null ? resources.transport : fallback.factoryForAttempt();
      connection.transport = factory.open(request, connection);
      connection.window.attach(connection.transport);
    } catch (PhoenixException e) {
      connectionFailed(connection, e);
    } catch (RuntimeException e) {
      connectionFailed(connection, new ConnectionException("cannot open the transport: " + e, -1, e));
    }
  }

  private void connectionFailed(Connection connection, PhoenixException error) {
    connectionError(connection, error);
    connectionClosed(connection, CloseEvent.ABNORMAL, "", error);
  }

  private void opened(Connection connection) {
    if (connection != conn || connection.state != SocketState.CONNECTING) {
      return;
    }
    connection.state = SocketState.OPEN;
    socket.log(Level.DEBUG, () -> "connected to " + options.endpoint().getHost());
    publish(SocketState.OPEN);
    flushSendBuffer();
    reconnectTimer.reset();
    heartbeat.start(connection.transport != null && connection.transport.needsHeartbeat());
    for (PhoenixChannel channel : channels) {
      channel.socketOpened();
    }
    if (fallback != null) {
      fallback.opened(heartbeat::probe);
    }
    openListeners.fire(dispatcher, Boolean.TRUE);
  }

  private void connectionError(Connection connection, PhoenixException error) {
    if (connection != conn) {
      return;
    }
    connection.lastError = error;
    socket.log(Level.DEBUG, () -> "transport error: " + error.getMessage());
    errorListeners.fire(dispatcher, error);
    triggerChannelErrors("connection_error");
  }

  /** A connection's transport is gone (closed, failed or dropped): reports it once and decides what comes next. */
  private void connectionClosed(Connection connection, int code, String reason, PhoenixException cause) {
    if (connection.state == SocketState.CLOSED) {
      return;
    }
    boolean hadOpened = connection.state != SocketState.CONNECTING;
    connection.state = SocketState.CLOSED;
    if (connection.closeTimer != null) {
      connection.closeTimer.cancel();
    }
    boolean current = connection == conn;
    if (current) {
      conn = null;
      heartbeat.stop();
      heartbeat.failPings("the connection closed");
      triggerChannelErrors("connection_closed");
      publish(SocketState.CLOSED);
    }
    CloseEvent event = new CloseEvent(code, reason, connection.closeRequested,
        cause != null ? cause : connection.lastError);
    socket.log(Level.DEBUG, () -> "closed " + code + (reason.isEmpty() ? "" : " " + reason)
        + (event.requested() ? " (requested)" : ""));
    if (current && !event.requested() && wantsConnection && !socket.isClosed()) {
      if (fallback != null && fallback.switchesAfter(hadOpened, event)) {
        loop.execute(this::reconnectAfterSwitch);
      } else {
        scheduleReconnect(event);
      }
    }
    closeListeners.fire(dispatcher, event);
    connection.whenClosed.forEach(Runnable::run);
    connection.whenClosed.clear();
  }

  private void scheduleReconnect(CloseEvent event) {
    boolean scheduled = reconnectTimer.schedule(attempt -> reconnectDelay(attempt, event));
    if (!scheduled) {
      String close = "close " + event.code() + (event.reason().isEmpty() ? "" : " " + event.reason())
          + (event.cause() == null ? "" : " (" + event.cause().getMessage() + ")");
      PhoenixException gaveUp = new ConnectionException(reconnectTimer.tries() == 0
          ? "not reconnecting: the reconnect policy declined after " + close
          : "not reconnecting: the reconnect policy gave up after " + reconnectTimer.tries() + " attempts; last "
              + close, event.httpStatus().orElse(-1), event.cause());
      socket.log(Level.WARNING, gaveUp::getMessage);
      errorListeners.fire(dispatcher, gaveUp);
    }
  }

  /** The policy's predicate is user code: one that throws stops the reconnects, loudly, and nothing else. */
  private Optional<Duration> reconnectDelay(int attempt, CloseEvent event) {
    try {
      return options.reconnectPolicy().nextDelay(attempt, event);
    } catch (Throwable e) {
      errorListeners.fire(dispatcher, new PhoenixException("the reconnect policy threw: " + e, e));
      return Optional.empty();
    }
  }

  /** The long-poll fallback abandoned the WebSocket: connect again at once (over long-poll), unless told to stop. */
  private void reconnectAfterSwitch() {
    if (conn == null && wantsConnection && !socket.isClosed()) {
      reconnectTimer.reset();
      openConnection();
    }
  }

  /** The fallback time ran out: drop the WebSocket attempt (or the wait for the next one) and use long-poll. */
  private void fallBackToLongPoll(PhoenixException why) {
    Connection current = conn;
    if (current == null) {
      reconnectAfterSwitch();
    } else if (!current.closeRequested) {
      if (current.transport != null) {
        current.transport.abort();
      }
      connectionClosed(current, CloseEvent.ABNORMAL, "falling back to long-poll", why);
    }
  }

  private void heartbeatUnanswered(ConnectionException timeout) {
    Connection dead = conn;
    if (dead == null) {
      return;
    }
    socket.log(Level.INFO, timeout::getMessage);
    triggerChannelErrors("heartbeat_timeout");
    dead.transport.abort(); // no close handshake: the link that lost the heartbeat would lose it too
    connectionClosed(dead, CloseEvent.ABNORMAL, "heartbeat timeout", timeout);
  }

  /** The user's disconnect: stops reconnecting, and closes the connection, if any, with a handshake if it is open. */
  void disconnect(int code, String reason, Runnable whenClosed) {
    assert loop.inEventLoop();
    wantsConnection = false;
    reconnectTimer.reset();
    if (fallback != null) {
      fallback.stop();
    }
    Connection connection = conn;
    if (connection == null) {
      whenClosed.run();
      return;
    }
    connection.whenClosed.add(whenClosed);
    if (connection.closeRequested) {
      return;
    }
    connection.closeRequested = true;
    connection.closeCode = code;
    connection.closeReason = reason;
    heartbeat.stop();
    if (connection.state == SocketState.CONNECTING || connection.transport == null) {
      if (connection.transport != null) {
        connection.transport.abort();
      }
      connectionClosed(connection, code, reason, null);
      return;
    }
    if (!connection.transport.needsHeartbeat()) {
      LongPollSessionEnd.leaveBeforeClose(socket, channels);
    }
    connection.state = SocketState.CLOSING;
    publish(SocketState.CLOSING);
    connection.closeTimer = loop.schedule(() -> {
      connection.transport.abort();
      connectionClosed(connection, code, reason, null);
    }, CLOSE_HANDSHAKE_TIMEOUT);
    connection.transport.close(code, reason);
  }

  private void triggerChannelErrors(String reason) {
    for (PhoenixChannel channel : channels) {
      channel.transportError(reason);
    }
  }

  // ---- event loop: messages ----

  private void received(Connection connection, Message message) {
    if (connection != conn) {
      return;
    }
    String messageRef = message.ref();
    if (messageRef != null) {
      heartbeat.replied(messageRef);
      if (fallback != null) {
        fallback.replied(messageRef);
      }
    }
    if (tracing()) {
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
    if (connection != conn) {
      return;
    }
    // The exception quotes the frame for the error listeners; the log does not, since a frame may carry secrets.
    socket.log(Level.DEBUG, () -> "dropped a malformed frame from the server; the error listeners have the details");
    errorListeners.fire(dispatcher, error);
  }

  private void write(OutboundMessage message, Push push) {
    if (conn == null) {
      send(message, push); // the connection failed while a flush was under way: buffer again
      return;
    }
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
    if (conn.transport.queuedBytes() > options.maxOutboundBytes()) {
      outboundOverflow(conn, push);
    }
  }

  /**
   * More is queued for the server than the socket's limit: the server or the network does not keep up. The
   * connection fails as after any failure, and reconnects; the push that went over fails with the reason, and
   * those still queued in the transport get no reply and fail by their timeouts.
   */
  private void outboundOverflow(Connection connection, Push push) {
    ConnectionException overflow = new ConnectionException("more than " + options.maxOutboundBytes() + " bytes "
        + "queued for the server (PhoenixSocket.Builder.maxOutboundBytes): it does not read as fast as this socket "
        + "sends; dropping the connection and reconnecting", -1, null);
    socket.log(Level.WARNING, overflow::getMessage);
    if (push != null) {
      push.fail(overflow);
    }
    connectionError(connection, overflow);
    connection.transport.abort();
    connectionClosed(connection, CloseEvent.ABNORMAL, "outbound limit", overflow);
  }

  private void flushSendBuffer() {
    for (Buffered entry : sendBuffer.drain()) {
      if (entry.push == null || entry.push.stillWanted(entry.message.ref())) {
        write(entry.message, entry.push);
      }
    }
  }

  private String sendHeartbeat() {
    String heartbeatRef = makeRef();
    send(new OutboundMessage(null, heartbeatRef, Heartbeat.TOPIC, Heartbeat.EVENT, OutboundPayload.emptyObject()),
        null);
    return heartbeatRef;
  }

  /** Checked before a traffic line is built: a lambda per message would be garbage even with logging off. */
  private boolean tracing() {
    return options.log().isLoggable(Level.DEBUG);
  }

  private void publish(SocketState newState) {
    if (state != newState) {
      state = newState;
      stateListeners.fire(dispatcher, newState);
    }
  }

  /**
   * One transport's life, from the connect to its close, and where its callbacks arrive: decoded on the
   * transport's thread, applied on the loop.
   */
  private final class Connection implements Transport.Listener, UndeliveredSends {
    final List<Runnable> whenClosed = new ArrayList<>(1);
    final InboundWindow window = new InboundWindow(options.inboundWindow());
    /** Releases a frame from the window once its callbacks ran, on the callback executor if there is one. */
    final Runnable release = options.callbackExecutor() == null ? window::released
        : () -> dispatcher.dispatch(window::released);
    Transport transport;
    /** {@code CONNECTING}, then {@code OPEN}, {@code CLOSING} (the user's close handshake), {@code CLOSED}. */
    SocketState state = SocketState.CONNECTING;
    /** Whether the user asked for this connection's close ({@link #disconnect} or {@link #close}). */
    boolean closeRequested;
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
      window.taken();
      decoded(Frame.text(text));
    }

    @Override
    public void onBinary(ByteBuffer data) {
      window.taken();
      decoded(Frame.binary(data));
    }

    private void decoded(Frame frame) {
      Message message;
      try {
        message = serializer.decode(frame);
      } catch (ProtocolException e) {
        release.run();
        post(() -> badFrame(this, e));
        return;
      } catch (RuntimeException e) {
        release.run();
        ProtocolException error = new ProtocolException("cannot decode a frame: " + e, e);
        post(() -> badFrame(this, error));
        return;
      }
      post(() -> {
        received(this, message);
        release.run();
      });
    }

    @Override
    public void onError(Throwable error) {
      PhoenixException failure = error instanceof PhoenixException phoenix ? phoenix
          : new ConnectionException("transport failed: " + error, -1, error);
      post(() -> connectionError(this, failure));
    }

    @Override
    public void onClose(int code, String reason) {
      post(() -> connectionClosed(this, code, reason == null ? "" : reason, null));
    }

    @Override
    public void undelivered(List<String> refs) {
      post(() -> {
        if (this == conn && state != SocketState.CLOSED) {
          LongPollSessionEnd.requeue(channels, refs);
        }
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
}
