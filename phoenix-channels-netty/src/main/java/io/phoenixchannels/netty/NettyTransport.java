package io.phoenixchannels.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.transport.AuthTokenSubprotocols;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One WebSocket connection over Netty. The socket's sends are queued and written by one task on the connection's
 * event loop, which encodes each text frame straight into a buffer from the channel's pooled allocator and flushes
 * once for everything queued meanwhile; when the socket's loop is that same thread the queue costs no hand-off.
 * What the server sends arrives in {@link FrameHandler}, on the connection's loop.
 */
final class NettyTransport implements Transport {
  private static final int HANDSHAKE_RESPONSE_BYTES = 64 * 1024;
  /** The longest close reason a close frame can carry, in UTF-8 bytes (RFC 6455, 5.5). */
  private static final int MAX_CLOSE_REASON_BYTES = 123;
  static final int CLOSE_ABNORMAL = io.phoenixchannels.CloseEvent.ABNORMAL;

  private final Transport.Listener listener;
  private final boolean tokenSent;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Queue<Object> outbox = new ConcurrentLinkedQueue<>();
  private final Runnable drain = this::drain;
  private volatile Channel channel;
  private volatile boolean opened;
  private volatile boolean aborted;

  private NettyTransport(Transport.Listener listener, boolean tokenSent) {
    this.listener = listener;
    this.tokenSent = tokenSent;
  }

  static Transport open(NettyEventLoops loops, SslContext customSsl, TransportRequest request,
      Transport.Listener listener) {
    URI uri = request.uri("websocket", true);
    boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
    String host = uri.getHost();
    int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
    SslContext ssl;
    try {
      ssl = !secure ? null : customSsl != null ? customSsl : loops.defaultSsl();
    } catch (SSLException e) {
      throw new ConnectionException("cannot set up TLS for " + where(uri) + ": " + e.getMessage(), -1, e);
    }
    HttpHeaders headers = new DefaultHttpHeaders();
    try {
      for (Map.Entry<String, String> header : request.headers().entrySet()) {
        headers.add(header.getKey(), header.getValue());
      }
    } catch (IllegalArgumentException e) {
      throw new ConnectionException("Netty refuses a header of the WebSocket request to " + where(uri) + ": "
          + e.getMessage(), -1, e);
    }
    boolean tokenSent = request.authToken() != null;
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        // Like OkHttp, Netty does not check subprotocol syntax: a token whose Base64 has a '/' goes out.
        .subprotocol(tokenSent ? String.join(", ", AuthTokenSubprotocols.offered(request.authToken())) : null)
        .customHeaders(headers)
        .maxFramePayloadLength(request.maxInboundFrameBytes())
        .handshakeTimeoutMillis(request.connectTimeout().toMillis())
        // No Origin header: Phoenix's check_origin compares it with the endpoint's host when present, and a
        // non-browser client (phoenix.js on Node, the JDK client) sends none.
        .generateOriginHeader(false)
        // The close handshake is this transport's: it reports the server's code and reason.
        .handleCloseFrames(false)
        // Nor a close frame of Netty's own when the channel closes: abort() must drop the TCP connection at once
        // (a dead link, a missed heartbeat), not start a handshake with 1000 that the server would see as clean.
        .sendCloseFrame(null)
        .dropPongFrames(true)
        // FrameHandler checks text frames itself, in one pass with the decoding (see Utf8Text).
        .withUTF8Validator(false)
        .build();
    NettyTransport transport = new NettyTransport(listener, tokenSent);
    FrameHandler frames = new FrameHandler(transport, uri, request, tokenSent);
    Bootstrap bootstrap = new Bootstrap()
        .group(loops.loopForConnection())
        .channel(loops.channelClass())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            request.connectTimeout().toMillis()))
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline pipeline = ch.pipeline();
            if (ssl != null) {
              SslHandler tls = ssl.newHandler(ch.alloc(), host, port);
              SSLEngine engine = tls.engine();
              SSLParameters parameters = engine.getSSLParameters();
              parameters.setEndpointIdentificationAlgorithm("HTTPS");
              engine.setSSLParameters(parameters);
              pipeline.addLast(tls);
            }
            pipeline.addLast(new HttpClientCodec());
            pipeline.addLast(new HttpObjectAggregator(HANDSHAKE_RESPONSE_BYTES));
            pipeline.addLast(new WebSocketClientProtocolHandler(config));
            pipeline.addLast(new WebSocketFrameAggregator(request.maxInboundFrameBytes()));
            pipeline.addLast(frames);
          }
        });
    ChannelFuture connecting = bootstrap.connect(host, port);
    transport.channel = connecting.channel();
    connecting.addListener(future -> {
      if (!future.isSuccess()) {
        frames.connectFailed(future.cause());
      } else if (transport.aborted) {
        connecting.channel().close();
      }
    });
    return transport;
  }

  @Override
  public void sendText(String text) {
    enqueue(text);
  }

  @Override
  public void sendBinary(ByteBuffer data) {
    enqueue(data);
  }

  @Override
  public void close(int code, String reason) {
    String safeReason = reason == null || ByteBufUtil.utf8Bytes(reason) > MAX_CLOSE_REASON_BYTES ? "" : reason;
    enqueue(new CloseFrame(code, safeReason));
  }

  @Override
  public void abort() {
    aborted = true;
    finished.set(true);
    outbox.clear();
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  /** Called by the frame handler, on the connection's loop, once the upgrade succeeded. */
  void opened() {
    opened = true;
    listener.onOpen();
  }

  boolean isFinished() {
    return finished.get();
  }

  boolean isAborted() {
    return aborted;
  }

  Transport.Listener listener() {
    return listener;
  }

  /** Reports a failure and the close after it, once. */
  void fail(Throwable error, int code, String reason) {
    if (finished.compareAndSet(false, true)) {
      listener.onError(error);
      listener.onClose(code, reason);
    }
  }

  /** Reports the close, once. */
  void closed(int code, String reason) {
    if (finished.compareAndSet(false, true)) {
      listener.onClose(code, reason);
    }
  }

  private void enqueue(Object frame) {
    Channel ch = channel;
    if (aborted || !opened || ch == null) {
      return;
    }
    outbox.add(frame);
    if (drainScheduled.compareAndSet(false, true)) {
      ch.eventLoop().execute(drain);
    }
  }

  /** On the connection's loop: writes what was queued, each frame into a pooled buffer, then flushes once. */
  private void drain() {
    drainScheduled.set(false);
    Channel ch = channel;
    boolean wrote = false;
    for (Object frame = outbox.poll(); frame != null; frame = outbox.poll()) {
      if (aborted) {
        outbox.clear();
        return;
      }
      wrote = true;
      if (frame instanceof String text) {
        ch.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ch.alloc(), text)), ch.voidPromise());
      } else if (frame instanceof ByteBuffer data) {
        ch.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)), ch.voidPromise());
      } else {
        CloseFrame close = (CloseFrame) frame;
        try {
          ch.write(new CloseWebSocketFrame(close.code, close.reason), ch.voidPromise());
        } catch (IllegalArgumentException e) {
          // A code no close frame may carry: drop the connection rather than leave it open.
          ch.close();
          fail(new ConnectionException("cannot close with " + close.code + ": " + e.getMessage(), -1, e),
              CLOSE_ABNORMAL, "");
        }
      }
    }
    if (wrote) {
      ch.flush();
    }
  }

  static String where(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  private record CloseFrame(int code, String reason) {}
}
