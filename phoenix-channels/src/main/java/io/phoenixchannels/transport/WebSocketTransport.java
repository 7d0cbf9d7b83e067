package io.phoenixchannels.transport;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.EventLoop;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.internal.AndroidExempt;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * The default transport: a WebSocket over the JDK's {@link java.net.http.WebSocket}, with no dependency beyond
 * the JDK. Sockets built without a transport share one {@link HttpClient} with two daemon threads; pass
 * {@link #factory(HttpClient)} to use your own, for example one with a custom {@code SSLContext} or proxy.
 *
 * <p>An auth token travels as the subprotocols {@code phoenix} and {@code base64url.bearer.phx.<token in
 * standard Base64 without padding>}, as phoenix.js sends it. Standard Base64 can contain {@code /}, which the
 * WebSocket subprotocol syntax forbids and the JDK refuses; such a token fails the connection with a
 * {@link ConnectionException} that says so. A server that does not select {@code phoenix} after a token was sent
 * (Phoenix 1.7 ignores tokens) has not authenticated the socket, so the connection fails too.
 */
@AndroidExempt("the JDK transport: java.net.http, JVM only")
public final class WebSocketTransport implements Transport {
  /** The prefix of the subprotocol that carries the auth token; see {@link AuthTokenSubprotocols}. */
  public static final String AUTH_TOKEN_PREFIX = AuthTokenSubprotocols.TOKEN_PREFIX;
  /** The subprotocol Phoenix selects when it reads the token; see {@link AuthTokenSubprotocols}. */
  public static final String PHOENIX_SUBPROTOCOL = AuthTokenSubprotocols.PHOENIX;

  /**
   * How long a failed send waits for the receiving side to report how the connection ended; see
   * {@link #sendFailed}.
   */
  static final Duration SEND_FAILURE_GRACE = Duration.ofMillis(250);

  private final Listener listener;
  private final int maxFrameBytes;
  private final boolean tokenSent;
  private final EventLoop loop;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final ArrayDeque<Object> outbox = new ArrayDeque<>();
  private boolean sending;
  private boolean sendBroken;
  private volatile WebSocket webSocket;
  private volatile boolean aborted;

  private WebSocketTransport(Listener listener, int maxFrameBytes, boolean tokenSent, EventLoop loop) {
    this.listener = listener;
    this.maxFrameBytes = maxFrameBytes;
    this.tokenSent = tokenSent;
    this.loop = loop;
  }

  /**
   * Returns a factory that connects through the given client.
   *
   * @param client the HTTP client; its executor runs the transport's callbacks, which never block
   * @return the factory
   */
  public static Transport.Factory factory(HttpClient client) {
    Objects.requireNonNull(client, "client");
    return (request, listener) -> open(client, request, listener);
  }

  /**
   * Computes the subprotocol that carries an auth token.
   *
   * @param token the token
   * @return {@code base64url.bearer.phx.} followed by the token's UTF-8 bytes in standard Base64 without padding
   */
  public static String authTokenSubprotocol(String token) {
    return AuthTokenSubprotocols.tokenSubprotocol(token);
  }

  private static Transport open(HttpClient client, TransportRequest request, Listener listener) {
    URI uri = request.uri("websocket", true);
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(request.connectTimeout());
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      try {
        builder.header(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        throw new ConnectionException("the JDK WebSocket client refuses the header '" + header.getKey()
            + "': " + e.getMessage(), -1, e);
      }
    }
    boolean tokenSent = request.authToken() != null;
    if (tokenSent) {
      String subprotocol = authTokenSubprotocol(request.authToken());
      if (subprotocol.indexOf('/') >= 0) {
        throw new ConnectionException("the auth token's Base64 form contains '/', which is not legal in the "
            + "Sec-WebSocket-Protocol header, so the JDK WebSocket client cannot send it (Phoenix reads only "
            + "standard Base64, so base64url is no way out). Use the OkHttp transport "
            + "(phoenix-channels-okhttp), the long-poll transport (the token travels in X-Phoenix-AuthToken there), "
            + "or a token whose Base64 has no '/'", -1, null);
      }
      builder.subprotocols(PHOENIX_SUBPROTOCOL, subprotocol);
    }
    WebSocketTransport transport = new WebSocketTransport(listener, request.maxInboundFrameBytes(), tokenSent,
        request.eventLoop());
    builder.buildAsync(uri, transport.new JdkListener()).whenComplete((ws, error) -> {
      if (error != null) {
        transport.connectFailed(uri, request, error);
      } else if (transport.aborted) {
        ws.abort();
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
    enqueue(new CloseFrame(code, reason == null ? "" : reason));
  }

  @Override
  public void abort() {
    aborted = true;
    finished.set(true);
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.abort();
    }
    synchronized (outbox) {
      outbox.clear();
    }
  }

  private void enqueue(Object frame) {
    synchronized (outbox) {
      if (aborted || sendBroken || webSocket == null) {
        return;
      }
      outbox.add(frame);
      if (sending) {
        return;
      }
      sending = true;
    }
    sendQueued();
  }

  /** Sends queued frames one at a time, as the JDK requires; loops instead of recursing on completed sends. */
  private void sendQueued() {
    while (true) {
      Object frame;
      synchronized (outbox) {
        frame = outbox.poll();
        if (frame == null || aborted) {
          sending = false;
          return;
        }
      }
      CompletableFuture<WebSocket> sent;
      WebSocket ws = webSocket;
      if (frame instanceof String text) {
        sent = ws.sendText(text, true);
      } else if (frame instanceof ByteBuffer data) {
        sent = ws.sendBinary(data, true);
      } else {
        CloseFrame close = (CloseFrame) frame;
        sent = ws.sendClose(close.code, close.reason);
      }
      if (!sent.isDone()) {
        sent.whenComplete((w, error) -> {
          if (error != null) {
            sendFailed(error);
          } else {
            sendQueued();
          }
        });
        return;
      }
      try {
        sent.get();
      } catch (ExecutionException e) {
        sendFailed(e.getCause());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // cannot happen: the future is done
        return;
      }
    }
  }

  /**
   * A send failed, which happens as soon as the TCP connection is closed: possibly before the JDK has handed over
   * the server's close frame that arrived just before (a server may close the connection right after its close
   * frame). Failing with 1006 at once would lose the server's close code, and aborting would drop that frame; so
   * the receiving side gets a moment to report how the connection ended, and only if it says nothing is the
   * connection counted as lost. Without the socket's event loop to time that, it is counted as lost at once.
   */
  private void sendFailed(Throwable error) {
    synchronized (outbox) {
      outbox.clear();
      sending = false;
      sendBroken = true;
    }
    if (aborted) {
      return;
    }
    Runnable lost = () -> {
      if (finished.get()) {
        return;
      }
      WebSocket ws = webSocket;
      if (ws != null) {
        ws.abort();
      }
      fail(new ConnectionException("WebSocket send failed: " + describe(error), -1, error), CloseEvent.ABNORMAL,
          "");
    };
    if (loop == null) {
      lost.run();
    } else {
      loop.schedule(lost, SEND_FAILURE_GRACE);
    }
  }

  private void connectFailed(URI uri, TransportRequest request, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String where = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    ConnectionException failure;
    if (cause instanceof WebSocketHandshakeException handshake) {
      int status = handshake.getResponse().statusCode();
      failure = new ConnectionException("WebSocket upgrade to " + where + " refused with HTTP " + status
          + (status == 403 ? " (the socket's connect/3 refused the params or token, or the vsn is unsupported)" : ""),
          status, cause);
    } else if (cause instanceof HttpConnectTimeoutException) {
      failure = new ConnectionException("could not connect to " + where + " within "
          + request.connectTimeout().toMillis() + " ms", -1, cause);
    } else if (cause instanceof ConnectException) {
      failure = new ConnectionException("cannot connect to " + where + ": " + cause.getMessage(), -1, cause);
    } else if (cause instanceof SSLException) {
      failure = new ConnectionException("TLS handshake with " + where + " failed: " + cause.getMessage()
          + " (for a self-signed certificate, pass an HttpClient with your SSLContext through "
          + "WebSocketTransport.factory)", -1, cause);
    } else {
      failure = new ConnectionException("cannot open a WebSocket to " + where + ": " + describe(cause), -1, cause);
    }
    fail(failure, CloseEvent.ABNORMAL, "");
  }

  private void fail(Throwable error, int code, String reason) {
    if (finished.compareAndSet(false, true)) {
      listener.onError(error);
      listener.onClose(code, reason);
    }
  }

  private void closed(int code, String reason) {
    if (finished.compareAndSet(false, true)) {
      listener.onClose(code, reason);
    }
  }

  /**
   * An exception, with the reason its causes give when it has none of its own: the JDK reports a server frame that
   * breaks the WebSocket protocol as a {@code java.net.ProtocolException} without a message, whose cause says what
   * was wrong ("Invalid UTF-8 in frame TEXT", "Masked frame received").
   */
  static String describe(Throwable error) {
    String text = error.toString();
    if (error.getMessage() != null && !error.getMessage().isEmpty()) {
      return text;
    }
    Throwable cause = error.getCause();
    for (int depth = 0; depth < 10 && cause != null; depth++, cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isEmpty()) {
        return text + ": " + cause.getMessage();
      }
    }
    return text;
  }

  private record CloseFrame(int code, String reason) {}

  /** Receives from the JDK: reassembles frames, enforces the size limit, asks for one message at a time. */
  @AndroidExempt("the JDK transport: java.net.http, JVM only")
  private final class JdkListener implements WebSocket.Listener {
    private StringBuilder text;
    private ByteArrayOutputStream binary;
    private long textBytes;

    @Override
    public void onOpen(WebSocket ws) {
      if (aborted) {
        ws.abort();
        return;
      }
      if (tokenSent && !AuthTokenSubprotocols.accepted(ws.getSubprotocol())) {
        ws.abort();
        fail(new ConnectionException("the server did not select the 'phoenix' subprotocol, so it did not read the "
            + "auth token (Phoenix before 1.8 ignores tokens); refusing to carry on unauthenticated", -1, null),
            CloseEvent.ABNORMAL, "auth token not accepted");
        return;
      }
      synchronized (outbox) {
        webSocket = ws;
      }
      listener.onOpen();
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (finished.get()) {
        return null;
      }
      if (text == null && last) {
        if ((long) data.length() * 3 > maxFrameBytes && tooLarge(utf8Length(data))) {
          return null;
        }
        listener.onText(data.toString());
      } else {
        if (text == null) {
          text = new StringBuilder(data.length() * 2);
          textBytes = 0;
        }
        textBytes += utf8Length(data);
        text.append(data);
        if (tooLarge(textBytes)) {
          text = null;
          return null;
        }
        if (last) {
          String whole = text.toString();
          text = null;
          listener.onText(whole);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      if (finished.get()) {
        return null;
      }
      if (binary == null && last) {
        if (tooLarge(data.remaining())) {
          return null;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        listener.onBinary(copy);
      } else {
        if (binary == null) {
          binary = new ByteArrayOutputStream(Math.max(256, data.remaining() * 2));
        }
        byte[] part = new byte[data.remaining()];
        data.get(part);
        binary.writeBytes(part);
        if (tooLarge(binary.size())) {
          binary = null;
          return null;
        }
        if (last) {
          ByteBuffer whole = ByteBuffer.wrap(binary.toByteArray());
          binary = null;
          listener.onBinary(whole);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed(statusCode, reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      if (!aborted) {
        fail(new ConnectionException("WebSocket failed: " + describe(error), -1, error), CloseEvent.ABNORMAL, "");
      }
    }

    /** Fails the connection with 1009 once a frame passes the limit, before it is buffered whole. */
    private boolean tooLarge(long bytes) {
      if (bytes <= maxFrameBytes) {
        return false;
      }
      WebSocket ws = webSocket;
      aborted = true;
      if (ws != null) {
        ws.abort();
      }
      fail(new ProtocolException("the server sent a frame of at least " + bytes + " bytes, over the limit of "
          + maxFrameBytes + " (PhoenixSocket.Builder.maxInboundFrameBytes); closing with 1009"),
          CloseEvent.MESSAGE_TOO_BIG, "message too big");
      return true;
    }

    private long utf8Length(CharSequence chars) {
      long bytes = 0;
      for (int i = 0; i < chars.length(); i++) {
        char c = chars.charAt(i);
        if (c < 0x80) {
          bytes += 1;
        } else if (c < 0x800) {
          bytes += 2;
        } else if (Character.isHighSurrogate(c)) {
          bytes += 4;
          i++;
        } else {
          bytes += 3;
        }
      }
      return bytes;
    }
  }
}
