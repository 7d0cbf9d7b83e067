package io.phoenixchannels.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
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
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.internal.transport.WebSocketTransportBase;
import io.phoenixchannels.transport.AuthTokenSubprotocols;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One WebSocket connection over Netty: only the code that talks to Netty; what every WebSocket transport shares is
 * in {@link WebSocketTransportBase}. The socket's sends are queued and written by one task on the connection's
 * event loop, which encodes each text frame straight into a buffer from the channel's pooled allocator and flushes
 * once for everything queued meanwhile; when the socket's loop is that same thread the queue costs no hand-off.
 * What the server sends arrives in {@link FrameHandler}, on the connection's loop.
 *
 * <p>Flow control: pausing reading turns the channel's auto-read off, so Netty stops reading the socket and TCP
 * pushes back on the server. Writing stops while the channel is not writable (its outbound buffer is over the
 * high-water mark) and goes on when it is again; {@link #queuedBytes()} counts what waits here and in Netty's buffer.
 */
final class NettyTransport extends WebSocketTransportBase {
  private static final int HANDSHAKE_RESPONSE_BYTES = 64 * 1024;
  static final String TLS_HINT = "for a private CA, pass an SslContext to NettyEventLoops.transport";

  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Queue<Object> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicLong outboxBytes = new AtomicLong();
  private final Runnable drain = this::drain;
  private volatile Channel channel;

  private NettyTransport(TransportRequest request, Transport.Listener listener) {
    super(request, listener);
  }

  static Transport open(NettyEventLoops loops, SslContext customSsl, TransportRequest request,
      Transport.Listener listener) {
    NettyTransport transport = new NettyTransport(request, listener);
    URI uri = transport.uri();
    boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
    String host = uri.getHost();
    int port = uri.getPort() >= 0 ? uri.getPort() : secure ? 443 : 80;
    SslContext ssl;
    try {
      ssl = !secure ? null : customSsl != null ? customSsl : loops.defaultSsl();
    } catch (SSLException e) {
      throw new ConnectionException("cannot set up TLS for " + transport.where() + ": " + e.getMessage(), -1, e);
    }
    HttpHeaders headers = new DefaultHttpHeaders();
    try {
      for (Map.Entry<String, String> header : request.headers().entrySet()) {
        headers.add(header.getKey(), header.getValue());
      }
    } catch (IllegalArgumentException e) {
      throw new ConnectionException("Netty refuses a header of the WebSocket request to " + transport.where() + ": "
          + e.getMessage(), -1, e);
    }
    WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(uri)
        // Like OkHttp, Netty does not check subprotocol syntax: a token whose Base64 has a '/' goes out.
        .subprotocol(transport.tokenSent() ? String.join(", ", AuthTokenSubprotocols.offered(request.authToken()))
            : null)
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
    FrameHandler frames = new FrameHandler(transport);
    Bootstrap bootstrap = new Bootstrap()
        .group(loops.loopForConnection())
        .channel(loops.channelClass())
        .resolver(loops.resolver())
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
        connecting.channel().close();
        transport.connectFailed(future.cause(), TLS_HINT);
      } else if (transport.isAborted()) {
        connecting.channel().close();
      }
    });
    return transport;
  }

  @Override
  public long queuedBytes() {
    Channel ch = channel;
    ChannelOutboundBuffer buffer = ch == null ? null : ch.unsafe().outboundBuffer();
    return outboxBytes.get() + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
  }

  @Override
  protected void dropConnection() {
    outbox.clear();
    outboxBytes.set(0);
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  protected void readingPaused() {
    channel.config().setAutoRead(false);
  }

  @Override
  protected void readingResumed() {
    channel.config().setAutoRead(true);
  }

  /** Called by the frame handler when the channel can take writes again. */
  void writable() {
    if (!outbox.isEmpty()) {
      drain();
    }
  }

  @Override
  protected void queue(Object frame, long bytes) {
    Channel ch = channel;
    if (isAborted() || !isOpened() || ch == null) {
      return;
    }
    outboxBytes.addAndGet(bytes);
    outbox.add(frame);
    if (drainScheduled.compareAndSet(false, true)) {
      ch.eventLoop().execute(drain);
    }
  }

  /**
   * On the connection's loop: writes what was queued, each frame into a pooled buffer, then flushes once; stops
   * while the channel is not writable, so that what the server does not take waits here, counted.
   */
  private void drain() {
    drainScheduled.set(false);
    Channel ch = channel;
    boolean wrote = false;
    while (ch.isWritable()) {
      Object frame = outbox.poll();
      if (frame == null) {
        break;
      }
      if (isAborted()) {
        outbox.clear();
        outboxBytes.set(0);
        return;
      }
      wrote = true;
      if (frame instanceof String text) {
        outboxBytes.addAndGet(-text.length());
        ch.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ch.alloc(), text)), ch.voidPromise());
      } else if (frame instanceof ByteBuffer data) {
        outboxBytes.addAndGet(-data.remaining());
        ch.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)), ch.voidPromise());
      } else {
        CloseFrame close = (CloseFrame) frame;
        try {
          ch.write(new CloseWebSocketFrame(close.code(), close.reason()), ch.voidPromise());
        } catch (IllegalArgumentException e) {
          // A code no close frame may carry: drop the connection rather than leave it open.
          ch.close();
          fail(new ConnectionException("cannot close with " + close.code() + ": " + e.getMessage(), -1, e),
              CloseEvent.ABNORMAL, "");
        }
      }
      if (!ch.isWritable()) {
        // Flush now: the channel becomes writable again only once Netty's buffer drains to the socket.
        ch.flush();
        wrote = false;
      }
    }
    if (wrote) {
      ch.flush();
    }
  }

}
