package io.phoenixchannels.okhttp;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.transport.AuthTokenSubprotocols;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * A WebSocket transport over OkHttp, for Android (which has no {@code java.net.http}) and for apps that already
 * configure an {@link OkHttpClient}: its interceptors, proxy, certificate pinning, TLS settings, DNS, ping interval
 * and timeouts all apply.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .certificatePinner(pinner)
 *     .build();
 * PhoenixSocket socket = PhoenixSocket.builder("wss://example.com/socket")
 *     .transport(OkHttpTransport.factory(client))
 *     .build();
 * }</pre>
 *
 * <p>It behaves as the JDK transport does: a refused upgrade fails with a {@link ConnectionException} carrying the
 * HTTP status; an auth token travels as the subprotocols {@code phoenix} and {@code base64url.bearer.phx.<token>}
 * (see {@link AuthTokenSubprotocols}), including a token whose Base64 has a {@code /}, which OkHttp sends and
 * Phoenix accepts although the JDK client refuses it; a server that does not select {@code phoenix} after a token
 * was sent has not authenticated the socket, and the connection fails. A frame larger than the socket's
 * {@code maxInboundFrameBytes} fails the connection with a {@link ProtocolException} and closes it with 1009.
 * OkHttp reads a whole message before handing it over, so that limit protects the socket from the message, not
 * the memory from reading it.
 *
 * <p>The socket's {@code connectTimeout} bounds the whole handshake (DNS, TCP, TLS and the upgrade) as OkHttp's
 * call timeout; the client's own connect timeout still applies to the TCP connection. Nothing in this class or
 * its path refers to {@code java.net.http}.
 *
 * <h2>Threads</h2>
 * The socket calls {@link #sendText}, {@link #sendBinary}, {@link #close} and {@link #abort} on its event loop;
 * none of them blocks (OkHttp queues outgoing frames and writes them on its own thread). OkHttp calls this
 * transport's listener on its threads: the connection's reader thread for frames and closes, the dispatcher's
 * thread for a failed connect; this transport hands each call to the socket's {@link Transport.Listener}, one at a
 * time and in order, and the socket moves it to its event loop at once.
 */
public final class OkHttpTransport implements Transport {
  private static final String SUBPROTOCOL_HEADER = "Sec-WebSocket-Protocol";
  /** The longest close reason a close frame can carry, in UTF-8 bytes (RFC 6455, 5.5). */
  private static final int MAX_CLOSE_REASON_BYTES = 123;

  private final Transport.Listener listener;
  private final int maxFrameBytes;
  private final boolean tokenSent;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile WebSocket webSocket;
  private volatile boolean opened;
  private volatile boolean aborted;

  private OkHttpTransport(Transport.Listener listener, int maxFrameBytes, boolean tokenSent) {
    this.listener = listener;
    this.maxFrameBytes = maxFrameBytes;
    this.tokenSent = tokenSent;
  }

  /**
   * Returns a factory that connects through the given client. The socket calls the factory on its event loop,
   * once per connection attempt; opening returns at once and connects on OkHttp's threads.
   *
   * @param client the app's client, shared as OkHttp recommends; this transport derives a per-connection client
   *     from it with {@link OkHttpClient#newBuilder()}, which shares its connection pool and threads
   * @return the factory
   */
  public static Transport.Factory factory(OkHttpClient client) {
    Objects.requireNonNull(client, "client");
    return (request, listener) -> open(client, request, listener);
  }

  private static Transport open(OkHttpClient client, TransportRequest request, Transport.Listener listener) {
    URI uri = request.uri("websocket", true);
    Request.Builder upgrade;
    try {
      upgrade = new Request.Builder().url(uri.toString());
      for (Map.Entry<String, String> header : request.headers().entrySet()) {
        upgrade.header(header.getKey(), header.getValue());
      }
    } catch (IllegalArgumentException e) {
      throw new ConnectionException("OkHttp refuses the WebSocket request to " + where(uri) + ": " + e.getMessage(),
          -1, e);
    }
    boolean tokenSent = request.authToken() != null;
    if (tokenSent) {
      // OkHttp does not check subprotocol syntax, so a token whose Base64 has a '/' goes out, as Phoenix wants it.
      upgrade.header(SUBPROTOCOL_HEADER, String.join(", ", AuthTokenSubprotocols.offered(request.authToken())));
    }
    OkHttpClient connecting = client.newBuilder().callTimeout(request.connectTimeout()).build();
    OkHttpTransport transport = new OkHttpTransport(listener, request.maxInboundFrameBytes(), tokenSent);
    transport.webSocket = connecting.newWebSocket(upgrade.build(), transport.new Events(uri));
    if (transport.aborted) {
      transport.webSocket.cancel();
    }
    return transport;
  }

  /**
   * Queues a text frame; called on the socket's event loop.
   *
   * @param text one encoded message
   */
  @Override
  public void sendText(String text) {
    WebSocket ws = webSocket;
    if (ws != null && opened && !aborted) {
      ws.send(text); // false only once closing, or over OkHttp's 16 MiB queue, which closes the socket itself
    }
  }

  /**
   * Queues a binary frame; called on the socket's event loop.
   *
   * @param data one encoded message
   */
  @Override
  public void sendBinary(ByteBuffer data) {
    WebSocket ws = webSocket;
    if (ws != null && opened && !aborted) {
      ws.send(ByteString.of(data));
    }
  }

  /**
   * Starts a clean close; called on the socket's event loop. The listener's {@code onClose} follows when the
   * server answers, or when OkHttp gives up waiting (the client's {@code webSocketCloseTimeout}).
   *
   * @param code the close code
   * @param reason the reason; one longer than a close frame can carry is left out
   */
  @Override
  public void close(int code, String reason) {
    WebSocket ws = webSocket;
    if (ws == null || aborted) {
      return;
    }
    String safeReason = reason == null || utf8Length(reason) > MAX_CLOSE_REASON_BYTES ? "" : reason;
    try {
      ws.close(code, safeReason);
    } catch (IllegalArgumentException e) {
      // A code OkHttp will not send: drop the connection rather than leave it open.
      abort();
      fail(new ConnectionException("OkHttp refused to close with " + code + ": " + e.getMessage(), -1, e),
          CloseEvent.ABNORMAL, "");
    }
  }

  /** Drops the connection at once, without a close handshake; called on the socket's event loop. */
  @Override
  public void abort() {
    aborted = true;
    finished.set(true);
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.cancel();
    }
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

  /** Fails the connection with 1009 for a message over the limit; true if it was. */
  private boolean tooLarge(WebSocket ws, long bytes) {
    if (bytes <= maxFrameBytes) {
      return false;
    }
    ws.close(CloseEvent.MESSAGE_TOO_BIG, "message too big");
    fail(new ProtocolException("the server sent a frame of " + bytes + " bytes, over the limit of " + maxFrameBytes
        + " (PhoenixSocket.Builder.maxInboundFrameBytes); closing with 1009"),
        CloseEvent.MESSAGE_TOO_BIG, "message too big");
    return true;
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static String where(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  /** What OkHttp reports, on its threads, translated for the socket. */
  private final class Events extends WebSocketListener {
    private final URI uri;

    Events(URI uri) {
      this.uri = uri;
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
      if (aborted) {
        ws.cancel();
        return;
      }
      if (tokenSent && !AuthTokenSubprotocols.accepted(response.header(SUBPROTOCOL_HEADER))) {
        ws.cancel();
        fail(new ConnectionException("the server did not select the 'phoenix' subprotocol, so it did not read the "
            + "auth token (Phoenix before 1.8 ignores tokens); refusing to carry on unauthenticated", -1, null),
            CloseEvent.ABNORMAL, "auth token not accepted");
        return;
      }
      opened = true;
      listener.onOpen();
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      if (finished.get()) {
        return;
      }
      // A char is one to three UTF-8 bytes (a surrogate pair four for two chars): count only when it matters.
      if ((long) text.length() * 3 > maxFrameBytes && tooLarge(ws, utf8Length(text))) {
        return;
      }
      listener.onText(text);
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
      if (finished.get() || tooLarge(ws, bytes.size())) {
        return;
      }
      listener.onBinary(ByteBuffer.wrap(bytes.toByteArray()));
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      ws.close(CloseEvent.NORMAL, null); // answer the server's close frame; OkHttp ignores a second close
      closed(code, reason);
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      closed(code, reason);
    }

    @Override
    public void onFailure(WebSocket ws, Throwable error, Response response) {
      if (aborted) {
        return;
      }
      ConnectionException failure;
      if (response != null && response.code() != 101) {
        int status = response.code();
        failure = new ConnectionException("WebSocket upgrade to " + where(uri) + " refused with HTTP " + status
            + (status == 403 ? " (the socket's connect/3 refused the params or token, or the vsn is unsupported)"
                : ""), status, error);
      } else if (!opened && error instanceof InterruptedIOException) { // a connect or call timeout
        failure = new ConnectionException("could not connect to " + where(uri) + " in time: " + error.getMessage(),
            -1, error);
      } else if (!opened && error instanceof ConnectException) {
        failure = new ConnectionException("cannot connect to " + where(uri) + ": " + error.getMessage(), -1, error);
      } else if (!opened && error instanceof SSLException) {
        failure = new ConnectionException("TLS handshake with " + where(uri) + " failed: " + error.getMessage()
            + " (configure trust, pinning or client certificates on the OkHttpClient you pass)", -1, error);
      } else if (!opened) {
        failure = new ConnectionException("cannot open a WebSocket to " + where(uri) + ": " + error, -1, error);
      } else {
        failure = new ConnectionException("WebSocket failed: " + error, -1, error);
      }
      fail(failure, CloseEvent.ABNORMAL, "");
    }
  }
}
