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
import io.phoenixchannels.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;

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
  private boolean closeReceived;
  private int closeCode = CloseEvent.ABNORMAL;
  private String closeReason = "";

  FrameHandler(NettyTransport transport) {
    this.transport = transport;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      transport.upgraded(
          ctx.pipeline().get(WebSocketClientProtocolHandler.class).handshaker().actualSubprotocol());
    } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      ctx.close();
      transport.connectFailed(new ConnectTimeoutException("WebSocket handshake timed out"), NettyTransport.TLS_HINT);
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (ctx.channel().isWritable()) {
      transport.writable();
    }
    super.channelWritabilityChanged(ctx);
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
        transport.deliverText(decoded);
      } else if (message instanceof BinaryWebSocketFrame binary) {
        ByteBuf content = binary.content();
        ByteBuffer copy = ByteBuffer.allocate(content.readableBytes());
        content.getBytes(content.readerIndex(), copy);
        transport.deliverBinary(copy.flip());
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
      transport.tooLargeClosed();
      return;
    }
    ctx.close();
    if (cause instanceof WebSocketClientHandshakeException handshake) {
      HttpResponse response = handshake.response();
      int status = response == null ? -1 : response.status().code();
      if (status == 101 && transport.tokenSent()) {
        transport.tokenNotAccepted();
      } else if (status > 0 && status != 101) {
        transport.upgradeRefused(status, cause);
      } else {
        transport.connectFailed(cause, NettyTransport.TLS_HINT);
      }
    } else if (!transport.isOpened()) {
      transport.connectFailed(cause, NettyTransport.TLS_HINT);
    } else {
      transport.broken(cause);
    }
  }

  private static boolean isTooLarge(Throwable cause) {
    return cause instanceof TooLongFrameException
        || cause instanceof CorruptedWebSocketFrameException corrupted
            && WebSocketCloseStatus.MESSAGE_TOO_BIG.equals(corrupted.closeStatus());
  }
}
