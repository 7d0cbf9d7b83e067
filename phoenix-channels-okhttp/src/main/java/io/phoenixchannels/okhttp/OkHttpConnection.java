package io.phoenixchannels.okhttp;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.internal.transport.WebSocketTransportBase;
import io.phoenixchannels.transport.AuthTokenSubprotocols;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.nio.ByteBuffer;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * One WebSocket connection over OkHttp, as {@link OkHttpTransport} describes: only the code that talks to OkHttp;
 * what every WebSocket transport shares is in {@link WebSocketTransportBase}.
 */
final class OkHttpConnection extends WebSocketTransportBase {
  private static final String SUBPROTOCOL_HEADER = "Sec-WebSocket-Protocol";
  private static final String TLS_HINT = "configure trust, pinning or client certificates on the OkHttpClient "
      + "you pass";

  private volatile WebSocket webSocket;
  /** OkHttp refused a frame: its queue is full and it is closing the connection. */
  private volatile boolean overflowed;

  private OkHttpConnection(TransportRequest request, Transport.Listener listener) {
    super(request, listener);
  }

  static Transport open(OkHttpClient client, TransportRequest request, Transport.Listener listener) {
    OkHttpConnection transport = new OkHttpConnection(request, listener);
    Request.Builder upgrade;
    try {
      upgrade = new Request.Builder().url(transport.uri().toString());
      for (Map.Entry<String, String> header : request.headers().entrySet()) {
        upgrade.header(header.getKey(), header.getValue());
      }
    } catch (IllegalArgumentException e) {
      throw new ConnectionException("OkHttp refuses the WebSocket request to " + transport.where() + ": "
          + e.getMessage(), -1, e);
    }
    if (request.authToken() != null) {
      // OkHttp does not check subprotocol syntax, so a token whose Base64 has a '/' goes out, as Phoenix wants it.
      upgrade.header(SUBPROTOCOL_HEADER, String.join(", ", AuthTokenSubprotocols.offered(request.authToken())));
    }
    OkHttpClient connecting = client.newBuilder().callTimeout(request.connectTimeout()).build();
    transport.webSocket = connecting.newWebSocket(upgrade.build(), transport.new Events());
    if (transport.isAborted()) {
      transport.webSocket.cancel();
    }
    return transport;
  }

  /**
   * Hands a frame to OkHttp, which queues it and writes it on its own thread. A close is answered by the server,
   * or OkHttp gives up waiting (the client's {@code webSocketCloseTimeout}).
   */
  @Override
  protected void queue(Object frame, long bytes) {
    WebSocket ws = webSocket;
    if (ws == null || isAborted()) {
      return;
    }
    if (frame instanceof CloseFrame close) {
      try {
        ws.close(close.code(), close.reason());
      } catch (IllegalArgumentException e) {
        // A code OkHttp will not send: drop the connection rather than leave it open.
        abort();
        fail(new ConnectionException("OkHttp refused to close with " + close.code() + ": " + e.getMessage(), -1,
            e), CloseEvent.ABNORMAL, "");
      }
      return;
    }
    boolean queued = isOpened() && (frame instanceof String text ? ws.send(text)
        : ws.send(ByteString.of((ByteBuffer) frame)));
    if (isOpened() && !queued) {
      overflowed = true; // false once closing, or over OkHttp's 16 MiB queue, which closes the socket itself
    }
  }

  /** OkHttp's own count; a refused send counts as over any limit, so the socket's check fails the connection. */
  @Override
  public long queuedBytes() {
    WebSocket ws = webSocket;
    return overflowed ? Long.MAX_VALUE : ws == null ? 0 : ws.queueSize();
  }

  @Override
  protected void dropConnection() {
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.cancel();
    }
  }

  @Override
  protected void closeTooLarge() {
    webSocket.close(CloseEvent.MESSAGE_TOO_BIG, "message too big");
  }

  /** What OkHttp reports, on its threads, translated for the socket. */
  private final class Events extends WebSocketListener {
    @Override
    public void onOpen(WebSocket ws, Response response) {
      upgraded(response.header(SUBPROTOCOL_HEADER));
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      if (deliverText(text)) {
        awaitReadingResumed();
      }
    }

    @Override
    public void onMessage(WebSocket ws, ByteString bytes) {
      if (!isFinished() && !tooLarge(bytes.size()) && deliverBinary(ByteBuffer.wrap(bytes.toByteArray()))) {
        awaitReadingResumed();
      }
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
      if (response != null && response.code() != 101) {
        upgradeRefused(response.code(), error);
      } else if (!isOpened()) {
        connectFailed(error, TLS_HINT);
      } else {
        broken(error);
      }
    }
  }
}
