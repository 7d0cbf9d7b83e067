package io.phoenixchannels.testserver.internal;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/** A Jetty WebSocket session as a {@link Wire}; Jetty's flusher sends queued frames in call order. */
final class WebSocketWire implements Wire {
  private final CoreSession session;
  private final System.Logger logger;
  private final Callback onSent;

  WebSocketWire(CoreSession session, System.Logger logger) {
    this.session = session;
    this.logger = logger;
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
    session.close(code, reason, onSent);
  }

  @Override
  public void cut() {
    logger.log(Level.DEBUG, () -> "cutting the WebSocket connection from " + session.getRemoteAddress());
    session.abort();
  }
}
