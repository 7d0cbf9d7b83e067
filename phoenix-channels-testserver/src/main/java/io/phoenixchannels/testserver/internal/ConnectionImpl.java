package io.phoenixchannels.testserver.internal;

import io.phoenixchannels.Message;
import io.phoenixchannels.internal.protocol.Frame;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.ConnectRequest;
import io.phoenixchannels.testserver.ConnectionClose;
import io.phoenixchannels.testserver.RecordedFrame;
import io.phoenixchannels.testserver.RecordedFrame.Direction;
import io.phoenixchannels.testserver.TransportKind;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client connection: its transport, its recording, and the {@link SocketProcess} that runs its protocol on a
 * serial executor. Frames arrive from transport threads ({@link #received}); frames leave from any thread ({@link
 * #send}) under one lock, so the recording's order is the wire's order.
 */
public final class ConnectionImpl implements ClientConnection {
  private final ServerCore core;
  private final long id;
  private final ConnectRequest request;
  private final Negotiation negotiation;
  private final WireCodec codec;
  private final SerialExecutor executor;
  private final FrameRecorder recorder;
  private final SocketProcess process;
  private final Object sendLock = new Object();
  private final CompletableFuture<ConnectionClose> closed = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private Wire wire;
  private boolean sending = true;
  private volatile boolean closeRequestedByServer;
  private int serverCloseCode;
  private String serverCloseReason = "";

  ConnectionImpl(ServerCore core, long id, Negotiation negotiation) {
    this.core = core;
    this.id = id;
    this.negotiation = negotiation;
    this.request = negotiation.request();
    this.codec = new WireCodec(core.options().mapper(), negotiation.vsn());
    this.executor = new SerialExecutor(core.workers(), core.logger(), "connection #" + id);
    this.recorder = new FrameRecorder(id, core.options().recordFrames());
    this.process = new SocketProcess(core, this);
  }

  void attach(Wire transport) {
    synchronized (sendLock) {
      this.wire = transport;
    }
  }

  // ---- from the transport ----

  /** A whole frame arrived: record it, decode it, and hand it to the socket process. Any thread. */
  public void received(Frame frame) {
    Message message = null;
    String problem = null;
    try {
      message = codec.decode(frame);
    } catch (RuntimeException e) {
      problem = e.getMessage();
    }
    recorder.record(new RecordedFrame(id, Direction.INBOUND, System.nanoTime(), frame.text(), bytesOf(frame),
        message, problem));
    Message decoded = message;
    String error = problem;
    executor.execute(() -> process.handle(decoded, error));
  }

  /** The transport is gone (closed, cut, timed out). Any thread; only the first call counts. */
  public void transportClosed(int code, String reason) {
    synchronized (sendLock) {
      if (closed.isDone()) {
        return;
      }
      sending = false;
      // After a server close the transport reports the client's answer; what the server sent is what happened.
      closed.complete(closeRequestedByServer
          ? new ConnectionClose(serverCloseCode, serverCloseReason, true)
          : new ConnectionClose(code, reason == null ? "" : reason, false));
    }
    core.logger().log(Level.DEBUG, () -> "connection #" + id + " closed: " + code + " " + reason);
    core.connectionClosed(this);
    ConnectionClose how = closed.join();
    executor.execute(() -> {
      try {
        process.connectionClosed();
        core.tell("disconnected", listener -> listener.disconnected(this, how));
      } finally {
        ended.complete(null);
      }
    });
  }

  /** Completes once the connection closed and its channels ended (Presence has sent their leaves). */
  CompletableFuture<Void> ended() {
    return ended;
  }

  // ---- to the client ----

  /**
   * Encodes and sends a message; dropped silently once the connection is closing.
   *
   * @throws IllegalArgumentException if the message cannot be encoded for this client (binary over V1)
   */
  public void send(ServerMessage message) {
    Frame frame = codec.encode(message);
    synchronized (sendLock) {
      if (!sending || wire == null) {
        core.logger().log(Level.DEBUG, () -> "connection #" + id + " is closed; not sending " + message.event());
        return;
      }
      recorder.record(new RecordedFrame(id, Direction.OUTBOUND, System.nanoTime(), frame.text(), bytesOf(frame),
          codec.asClientSees(message), null));
      if (frame.isText()) {
        wire.sendText(frame.text());
      } else {
        wire.sendBinary(bytesOf(frame));
      }
    }
  }

  /** Sends, logging instead of throwing when the message cannot be encoded for this client. */
  public void sendOrLog(ServerMessage message) {
    try {
      send(message);
    } catch (IllegalArgumentException e) {
      core.logger().log(Level.WARNING, () -> "connection #" + id + ": cannot send '" + message.event() + "' on '"
          + message.topic() + "': " + e.getMessage());
    }
  }

  SerialExecutor executor() {
    return executor;
  }

  SocketProcess process() {
    return process;
  }

  Negotiation negotiation() {
    return negotiation;
  }

  com.fasterxml.jackson.databind.ObjectMapper serverMapper() {
    return core.options().mapper();
  }

  System.Logger logger() {
    return core.logger();
  }

  // ---- ClientConnection ----

  @Override
  public long id() {
    return id;
  }

  @Override
  public ConnectRequest request() {
    return request;
  }

  @Override
  public TransportKind transport() {
    return request.transport();
  }

  @Override
  public String vsn() {
    return negotiation.vsn();
  }

  @Override
  public Optional<String> socketId() {
    return negotiation.decision().socketId();
  }

  @Override
  public Map<String, Object> assigns() {
    return negotiation.decision().assigns();
  }

  @Override
  public Set<String> joinedTopics() {
    return process.joinedTopics();
  }

  @Override
  public boolean isOpen() {
    return !closed.isDone();
  }

  @Override
  public ConnectionClose awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("connection #" + id + " still open after " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for connection #" + id + " to close", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public RecordedFrame takeInbound(Duration timeout) {
    return recorder.take(Direction.INBOUND, frame -> true, "inbound frame", timeout);
  }

  @Override
  public RecordedFrame takeInbound(String event, Duration timeout) {
    return recorder.take(Direction.INBOUND, frame -> event.equals(frame.event()), "inbound '" + event + "'",
        timeout);
  }

  @Override
  public RecordedFrame takeOutbound(Duration timeout) {
    return recorder.take(Direction.OUTBOUND, frame -> true, "outbound frame", timeout);
  }

  @Override
  public RecordedFrame takeOutbound(String event, Duration timeout) {
    return recorder.take(Direction.OUTBOUND, frame -> event.equals(frame.event()), "outbound '" + event + "'",
        timeout);
  }

  @Override
  public void assertNoMoreInbound(Duration quietPeriod) {
    recorder.assertNoMore(Direction.INBOUND, quietPeriod);
  }

  @Override
  public void assertNoMoreOutbound(Duration quietPeriod) {
    recorder.assertNoMore(Direction.OUTBOUND, quietPeriod);
  }

  @Override
  public List<RecordedFrame> frames() {
    return recorder.snapshot();
  }

  @Override
  public void close(int code, String reason) {
    if (!CloseCodes.serverMaySend(code)) {
      throw new IllegalArgumentException("a server cannot send close code " + code + " in a close frame (use "
          + "1000-1003, 1007-1014 or 3000-4999; cut() gives the client a 1006)");
    }
    Wire transport;
    synchronized (sendLock) {
      if (!sending || wire == null) {
        return;
      }
      markClosedByServer(code, reason);
      transport = wire;
    }
    core.logger().log(Level.DEBUG, () -> "connection #" + id + ": server closes with " + code);
    transport.close(code, reason == null ? "" : reason);
  }

  /** Tells whether the server has started closing the connection: what the client sends now is not served. */
  boolean closingByServer() {
    return closeRequestedByServer;
  }

  /** Closes after a frame the server will not take (too large, not UTF-8): logged by the caller. */
  void closeForProtocolError(int code, String reason) {
    Wire transport;
    synchronized (sendLock) {
      if (!sending || wire == null) {
        return;
      }
      markClosedByServer(code, reason);
      transport = wire;
    }
    transport.close(code, reason);
  }

  @Override
  public void cut() {
    Wire transport;
    synchronized (sendLock) {
      if (closed.isDone() || wire == null) {
        return;
      }
      markClosedByServer(1006, "");
      transport = wire;
    }
    core.logger().log(Level.DEBUG, () -> "connection #" + id + ": cut");
    transport.cut();
  }

  /** Under the send lock. */
  private void markClosedByServer(int code, String reason) {
    sending = false;
    closeRequestedByServer = true;
    serverCloseCode = code;
    serverCloseReason = reason == null ? "" : reason;
  }

  @Override
  public String toString() {
    return "ClientConnection#" + id + "{" + request.transport() + ", vsn " + vsn() + ", socket id "
        + socketId().orElse("none") + (isOpen() ? "" : ", closed") + "}";
  }

  private static byte[] bytesOf(Frame frame) {
    if (frame.isText()) {
      return null;
    }
    ByteBuffer data = frame.binary();
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    return bytes;
  }
}
