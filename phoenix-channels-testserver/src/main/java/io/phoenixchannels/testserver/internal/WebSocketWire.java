package io.phoenixchannels.testserver.internal;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/** A Jetty WebSocket session as a {@link Wire}; Jetty's flusher sends queued frames in call order. */
final class WebSocketWire implements Wire {
  /** How long a server close waits for the client's answer before it ends the connection. */
  static final Duration CLOSE_ANSWER_WAIT = Duration.ofSeconds(5);

  private final CoreSession session;
  private final System.Logger logger;
  private final Callback onSent;
  private final ScheduledExecutorService scheduler;
  private volatile ScheduledFuture<?> closeTimeout;

  WebSocketWire(CoreSession session, System.Logger logger, ScheduledExecutorService scheduler) {
    this.session = session;
    this.logger = logger;
    this.scheduler = scheduler;
    this.onSent = Callback.from(() -> { }, error -> logger.log(Level.DEBUG, () -> "a WebSocket send failed: "
        + error));
  }

  @Override
  public void sendText(String text) {
    session.sendFrame(new Frame(OpCode.TEXT, text), onSent, false);
  }

  @Override
  public void sendBinary(byte[] bytes) {
    session.sendFrame(new Frame(OpCode.BINARY, ByteBuffer.wrap(bytes)), onSent, false);
  }

  @Override
  public void close(int code, String reason) {
    try {
      // Armed before the close goes out, so that ended() always finds it.
      closeTimeout = scheduler.schedule(() -> {
        logger.log(Level.DEBUG, () -> "no close answer from " + session.getRemoteAddress() + " within "
            + CLOSE_ANSWER_WAIT.toMillis() + " ms; ending the connection");
        session.abort();
      }, CLOSE_ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException serverClosed) {
      // The server's timers have stopped with it; so has Jetty, which ends the connection anyway.
    }
    session.close(new AwaitedClose(code, reason), onSent);
  }

  /** The connection ended: a pending close needs no deadline any more. */
  void ended() {
    ScheduledFuture<?> timeout = closeTimeout;
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  @Override
  public void cut() {
    logger.log(Level.DEBUG, () -> "cutting the WebSocket connection from " + session.getRemoteAddress());
    session.abort();
  }
}
