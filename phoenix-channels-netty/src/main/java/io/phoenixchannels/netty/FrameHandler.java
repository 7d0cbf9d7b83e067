package io.phoenixchannels.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.transport.AuthTokenSubprotocols;
import io.phoenixchannels.transport.TransportRequest;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import javax.net.ssl.SSLException;

/**
 * The end of a connection's pipeline, on its event loop: tells the transport when the upgrade is done, hands it
 * whole text and binary messages, answers the server's close, and turns failures into what the socket expects.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter {
  /** The close code of a close frame without a status (RFC 6455, 7.1.5). */
  private static final int NO_STATUS = 1005;
  /** The close code for a text frame that is not UTF-8 (RFC 6455, 7.4.1). */
  private static final int INVALID_PAYLOAD = 1007;

  private final NettyTransport transport;
  private final URI uri;
  private final TransportRequest request;
  private final boolean tokenSent;
  private boolean closeReceived;
  private int closeCode = CloseEvent.ABNORMAL;
  private String closeReason = "";

  FrameHandler(NettyTransport transport, URI uri, TransportRequest request, boolean tokenSent) {
    this.transport = transport;
    this.uri = uri;
    this.request = request;
    this.tokenSent = tokenSent;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      handshakeComplete(ctx);
    } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      ctx.close();
      transport.fail(new ConnectionException("could not connect to " + NettyTransport.where(uri) + " within "
          + request.connectTimeout().toMillis() + " ms", -1, null), CloseEvent.ABNORMAL, "");
    }
    super.userEventTriggered(ctx, event);
  }

  private void handshakeComplete(ChannelHandlerContext ctx) {
    if (transport.isAborted()) {
      ctx.close();
      return;
    }
    if (tokenSent) {
      String selected = ctx.pipeline().get(WebSocketClientProtocolHandler.class).handshaker().actualSubprotocol();
      if (!AuthTokenSubprotocols.accepted(selected)) {
        ctx.close();
        transport.fail(tokenNotAccepted(), CloseEvent.ABNORMAL, "auth token not accepted");
        return;
      }
    }
    transport.opened();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    try {
      if (transport.isFinished()) {
        return;
      }
      if (message instanceof TextWebSocketFrame text) {
        String decoded;
        try {
          decoded = Utf8Text.decode(text.content());
        } catch (CharacterCodingException e) {
          ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_PAYLOAD_DATA))
              .addListener(ChannelFutureListener.CLOSE);
          transport.fail(new ProtocolException("the server sent a text frame that is not valid UTF-8; closing "
              + "with 1007", e), INVALID_PAYLOAD, "invalid UTF-8");
          return;
        }
        transport.listener().onText(decoded);
      } else if (message instanceof BinaryWebSocketFrame binary) {
        ByteBuf content = binary.content();
        ByteBuffer copy = ByteBuffer.allocate(content.readableBytes());
        content.getBytes(content.readerIndex(), copy);
        transport.listener().onBinary(copy.flip());
      } else if (message instanceof CloseWebSocketFrame close) {
        closeReceived = true;
        closeCode = close.statusCode() < 0 ? NO_STATUS : close.statusCode();
        closeReason = close.reasonText() == null ? "" : close.reasonText();
        // Answer with a close frame (a second one after our own close is harmless), then end the connection.
        ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    transport.closed(closeReceived ? closeCode : CloseEvent.ABNORMAL, closeReceived ? closeReason : "");
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (transport.isFinished()) {
      ctx.close();
      return;
    }
    if (isTooLarge(cause)) {
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
          .addListener(ChannelFutureListener.CLOSE);
      transport.fail(new ProtocolException("the server sent a frame over the limit of "
          + request.maxInboundFrameBytes() + " bytes (PhoenixSocket.Builder.maxInboundFrameBytes); closing with "
          + "1009"), CloseEvent.MESSAGE_TOO_BIG, "message too big");
      return;
    }
    ctx.close();
    transport.fail(describe(cause), CloseEvent.ABNORMAL, "");
  }

  /** The connection could not be made at all. */
  void connectFailed(Throwable cause) {
    String where = NettyTransport.where(uri);
    ConnectionException failure;
    if (cause instanceof ConnectTimeoutException) {
      failure = new ConnectionException("could not connect to " + where + " within "
          + request.connectTimeout().toMillis() + " ms", -1, cause);
    } else if (cause instanceof ConnectException) {
      failure = new ConnectionException("cannot connect to " + where + ": " + cause.getMessage(), -1, cause);
    } else {
      failure = new ConnectionException("cannot open a WebSocket to " + where + ": " + cause, -1, cause);
    }
    transport.fail(failure, CloseEvent.ABNORMAL, "");
  }

  private ConnectionException describe(Throwable cause) {
    String where = NettyTransport.where(uri);
    if (cause instanceof WebSocketClientHandshakeException handshake) {
      HttpResponse response = handshake.response();
      int status = response == null ? -1 : response.status().code();
      if (status == 101 && tokenSent) {
        return tokenNotAccepted();
      }
      if (status > 0 && status != 101) {
        return new ConnectionException("WebSocket upgrade to " + where + " refused with HTTP " + status
            + (status == 403 ? " (the socket's connect/3 refused the params or token, or the vsn is unsupported)"
                : ""), status, cause);
      }
      return new ConnectionException("WebSocket handshake with " + where + " failed: " + cause.getMessage(), -1,
          cause);
    }
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return new ConnectionException("TLS with " + where + " failed: " + c.getMessage() + " (for a private CA, "
            + "pass an SslContext to NettyEventLoops.transport)", -1, cause);
      }
    }
    return new ConnectionException("WebSocket failed: " + cause, -1, cause);
  }

  private static boolean isTooLarge(Throwable cause) {
    return cause instanceof TooLongFrameException
        || cause instanceof CorruptedWebSocketFrameException corrupted
            && WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(corrupted.closeStatus());
  }

  private static ConnectionException tokenNotAccepted() {
    return new ConnectionException("the server did not select the 'phoenix' subprotocol, so it did not read the "
        + "auth token (Phoenix before 1.8 ignores tokens); refusing to carry on unauthenticated", -1, null);
  }
}
