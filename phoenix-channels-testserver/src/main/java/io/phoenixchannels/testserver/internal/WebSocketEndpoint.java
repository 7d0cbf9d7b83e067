package io.phoenixchannels.testserver.internal;

import io.phoenixchannels.internal.protocol.Frame;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * Jetty's frames for one accepted WebSocket, assembled into whole messages and handed to its {@link
 * ConnectionImpl}. Jetty calls it one frame at a time; the next frame is demanded once a frame is handled.
 */
final class WebSocketEndpoint implements FrameHandler {
  private final ServerCore core;
  private final Negotiation negotiation;
  private final ByteArrayOutputStream message = new ByteArrayOutputStream();
  private byte messageOpCode;
  private CoreSession session;
  private WebSocketWire wire;
  private volatile ConnectionImpl connection;
  private volatile CloseStatus clientClose;

  WebSocketEndpoint(ServerCore core, Negotiation negotiation) {
    this.core = core;
    this.negotiation = negotiation;
  }

  @Override
  public void onOpen(CoreSession coreSession, Callback callback) {
    session = coreSession;
    wire = new WebSocketWire(coreSession, core.logger(), core.scheduler());
    connection = core.open(negotiation, wire);
    callback.succeeded();
    coreSession.demand();
  }

  @Override
  public void onFrame(org.eclipse.jetty.websocket.core.Frame frame, Callback callback) {
    byte opCode = frame.getOpCode();
    boolean data = opCode == OpCode.TEXT || opCode == OpCode.BINARY || opCode == OpCode.CONTINUATION;
    if (data && connection.closingByServer()) {
      // After the server's close only the client's answer matters; reading on is how it arrives.
      callback.succeeded();
      session.demand();
      return;
    }
    if (data) {
      if (opCode != OpCode.CONTINUATION) {
        messageOpCode = opCode;
        message.reset();
      }
      ByteBuffer payload = frame.getPayload();
      int size = payload == null ? 0 : payload.remaining();
      if (message.size() + (long) size > core.options().maxFrameBytes()) {
        core.logger().log(Level.WARNING, () -> "connection #" + connection.id() + ": closing with 1009: a message "
            + "over " + core.options().maxFrameBytes() + " bytes");
        callback.succeeded();
        message.reset();
        // Phoenix closes with the bare code, no reason.
        connection.closeForProtocolError(CloseStatus.MESSAGE_TOO_LARGE, "");
        session.demand();
        return;
      }
      if (payload != null) {
        byte[] bytes = new byte[size];
        payload.get(bytes);
        message.write(bytes, 0, bytes.length);
      }
      callback.succeeded();
      if (frame.isFin()) {
        deliver();
      }
      session.demand();
      return;
    }
    if (opCode == OpCode.PING) {
      // Jetty's core API leaves pongs to the handler; Phoenix's server answers every ping, and clients that keep
      // the connection alive with pings (OkHttp's pingInterval) give up on a server that does not.
      // A copy: Jetty reuses the ping's buffer once the callback succeeds, before the pong may have gone out.
      ByteBuffer payload = frame.getPayload();
      ByteBuffer copy = ByteBuffer.allocate(payload == null ? 0 : payload.remaining());
      if (payload != null) {
        copy.put(payload.slice()).flip();
      }
      session.sendFrame(new org.eclipse.jetty.websocket.core.Frame(OpCode.PONG, copy), Callback.NOOP, false);
    } else if (opCode == OpCode.CLOSE && !connection.closingByServer()) {
      // Jetty reports the answer's status when the connection ends; what the client asked for is what happened.
      clientClose = CloseStatus.getCloseStatus(frame);
      // Answered before the callback, which would otherwise echo the client's code and reason.
      session.close(closeAnswerTo(frame), "", Callback.NOOP);
    }
    callback.succeeded();
    if (opCode != OpCode.CLOSE) {
      session.demand();
    }
  }

  /**
   * The code Phoenix's server (Bandit) answers a client's close with: 1000 whatever the client's code, 1002 for the
   * codes it does not accept from a client (1012-1014; Jetty refuses the others before they reach here). The
   * reason is always empty.
   */
  private static int closeAnswerTo(org.eclipse.jetty.websocket.core.Frame frame) {
    ByteBuffer payload = frame.getPayload();
    if (payload == null || payload.remaining() < 2) {
      return CloseStatus.NORMAL;
    }
    int code = ((payload.get(payload.position()) & 0xff) << 8) | (payload.get(payload.position() + 1) & 0xff);
    return code >= 1012 && code <= 1014 ? CloseStatus.PROTOCOL : CloseStatus.NORMAL;
  }

  private void deliver() {
    byte[] bytes = message.toByteArray();
    message.reset();
    if (messageOpCode == OpCode.BINARY) {
      connection.received(Frame.binary(bytes));
      return;
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      connection.received(Frame.text(text));
    } catch (CharacterCodingException e) {
      core.logger().log(Level.WARNING, () -> "connection #" + connection.id() + ": closing with 1007: a text "
          + "frame that is not UTF-8");
      connection.closeForProtocolError(CloseStatus.BAD_PAYLOAD, "");
    }
  }

  @Override
  public void onError(Throwable cause, Callback callback) {
    ConnectionImpl current = connection;
    String who = current == null ? "a WebSocket" : "connection #" + current.id();
    core.logger().log(Level.DEBUG, () -> who + ": " + cause);
    callback.succeeded();
  }

  @Override
  public void onClosed(CloseStatus closeStatus, Callback callback) {
    if (wire != null) {
      wire.ended();
    }
    ConnectionImpl current = connection;
    if (current != null) {
      if (closeStatus.getCode() == CloseStatus.MESSAGE_TOO_LARGE) {
        core.logger().log(Level.WARNING, () -> "connection #" + current.id() + ": closed with 1009: "
            + closeStatus.getReason() + " (limit " + core.options().maxFrameBytes() + " bytes)");
      }
      CloseStatus asked = clientClose;
      CloseStatus status = asked != null ? asked : closeStatus;
      current.transportClosed(status.getCode(), status.getReason());
    }
    callback.succeeded();
  }
}
