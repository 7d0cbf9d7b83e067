package io.phoenixchannels.transport;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.EventLoop;
import io.phoenixchannels.internal.AndroidExempt;
import io.phoenixchannels.internal.transport.ConnectionErrors;
import io.phoenixchannels.internal.transport.WebSocketTransportBase;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The JDK WebSocket behind {@link WebSocketTransport}: only the code that talks to {@code java.net.http}; what every
 * WebSocket transport shares is in {@link WebSocketTransportBase}.
 *
 * <p>It asks the JDK for one message at a time, and for the next only while the socket has not paused reading, so
 * a slow application stops the reads and TCP pushes back on the server. {@link #queuedBytes()} counts the frames
 * waiting to be sent, including the one the JDK is sending (text by its length in chars, exact for the ASCII that
 * JSON mostly is).
 */
@AndroidExempt("the JDK transport: java.net.http, JVM only")
final class JdkWebSocketTransport extends WebSocketTransportBase {
  /**
   * How long a failed send waits for the receiving side to report how the connection ended; see
   * {@link #sendFailed}.
   */
  static final Duration SEND_FAILURE_GRACE = Duration.ofMillis(250);
  private static final String TLS_HINT = "for a self-signed certificate, pass an HttpClient with your SSLContext "
      + "through WebSocketTransport.factory";

  private final EventLoop loop;
  private final ArrayDeque<Object> outbox = new ArrayDeque<>();
  private long outboxBytes;
  private boolean sending;
  private boolean sendBroken;
  private volatile WebSocket webSocket;

  private JdkWebSocketTransport(TransportRequest request, Listener listener) {
    super(request, listener);
    this.loop = request.eventLoop();
  }

  static Transport open(HttpClient client, TransportRequest request, Listener listener) {
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(request.connectTimeout());
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      try {
        builder.header(header.getKey(), header.getValue());
      } catch (IllegalArgumentException e) {
        throw new ConnectionException("the JDK WebSocket client refuses the header '" + header.getKey()
            + "': " + e.getMessage(), -1, e);
      }
    }
    if (request.authToken() != null) {
      String subprotocol = AuthTokenSubprotocols.tokenSubprotocol(request.authToken());
      if (subprotocol.indexOf('/') >= 0) {
        throw new ConnectionException("the auth token's Base64 form contains '/', which is not legal in the "
            + "Sec-WebSocket-Protocol header, so the JDK WebSocket client cannot send it (Phoenix reads only "
            + "standard Base64, so base64url is no way out). Use the OkHttp transport "
            + "(phoenix-channels-okhttp), the long-poll transport (the token travels in X-Phoenix-AuthToken there), "
            + "or a token whose Base64 has no '/'", -1, null);
      }
      builder.subprotocols(AuthTokenSubprotocols.PHOENIX, subprotocol);
    }
    JdkWebSocketTransport transport = new JdkWebSocketTransport(request, listener);
    builder.buildAsync(transport.uri(), transport.new JdkListener()).whenComplete((ws, error) -> {
      if (error != null) {
        transport.connectFailed(error);
      } else if (transport.isAborted()) {
        ws.abort();
      }
    });
    return transport;
  }

  @Override
  public long queuedBytes() {
    synchronized (outbox) {
      return outboxBytes;
    }
  }

  @Override
  protected void dropConnection() {
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.abort();
    }
    synchronized (outbox) {
      outbox.clear();
      outboxBytes = 0;
    }
  }

  @Override
  protected void requestRead() {
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.request(1);
    }
  }

  @Override
  protected void queue(Object frame, long bytes) {
    synchronized (outbox) {
      if (isAborted() || sendBroken || webSocket == null) {
        return;
      }
      outbox.add(frame);
      outboxBytes += bytes;
      if (sending) {
        return;
      }
      sending = true;
    }
    sendQueued(0);
  }

  /**
   * Sends queued frames one at a time, as the JDK requires; loops instead of recursing on completed sends.
   *
   * @param sentBytes the size of the frame whose send just completed, counted as queued until now
   */
  private void sendQueued(long sentBytes) {
    long done = sentBytes;
    while (true) {
      Object frame;
      synchronized (outbox) {
        outboxBytes -= done;
        frame = outbox.peek();
        if (frame == null || isAborted()) {
          sending = false;
          return;
        }
        outbox.poll();
      }
      CompletableFuture<WebSocket> sent;
      WebSocket ws = webSocket;
      if (frame instanceof String text) {
        done = text.length();
        sent = ws.sendText(text, true);
      } else if (frame instanceof ByteBuffer data) {
        done = data.remaining();
        sent = ws.sendBinary(data, true);
      } else {
        done = 0;
        CloseFrame close = (CloseFrame) frame;
        sent = ws.sendClose(close.code(), close.reason());
      }
      if (!sent.isDone()) {
        long pending = done;
        sent.whenComplete((w, error) -> {
          if (error != null) {
            sendFailed(error);
          } else {
            sendQueued(pending);
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
      outboxBytes = 0;
      sending = false;
      sendBroken = true;
    }
    if (isAborted()) {
      return;
    }
    Runnable lost = () -> {
      if (isFinished()) {
        return;
      }
      WebSocket ws = webSocket;
      if (ws != null) {
        ws.abort();
      }
      fail(new ConnectionException("WebSocket send failed: " + ConnectionErrors.describe(error), -1, error),
          CloseEvent.ABNORMAL, "");
    };
    if (loop == null) {
      lost.run();
    } else {
      loop.schedule(lost, SEND_FAILURE_GRACE);
    }
  }

  private void connectFailed(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof WebSocketHandshakeException handshake) {
      upgradeRefused(handshake.getResponse().statusCode(), cause);
    } else {
      connectFailed(cause, TLS_HINT);
    }
  }

  /** Receives from the JDK: reassembles frames, enforces the size limit, asks for one message at a time. */
  @AndroidExempt("the JDK transport: java.net.http, JVM only")
  private final class JdkListener implements WebSocket.Listener {
    private StringBuilder text;
    private ByteArrayOutputStream binary;
    private long textBytes;

    @Override
    public void onOpen(WebSocket ws) {
      synchronized (outbox) {
        webSocket = ws;
      }
      if (upgraded(ws.getSubprotocol())) {
        ws.request(1);
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (isFinished()) {
        return null;
      }
      if (text == null && last) {
        if (deliverText(data.toString())) {
          readNext();
        }
        return null;
      }
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
      if (!last) {
        ws.request(1);
        return null;
      }
      String whole = text.toString();
      text = null;
      if (deliverText(whole)) {
        readNext();
      }
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      if (isFinished()) {
        return null;
      }
      if (binary == null && last) {
        if (!tooLarge(data.remaining())) {
          ByteBuffer copy = ByteBuffer.allocate(data.remaining());
          copy.put(data).flip();
          if (deliverBinary(copy)) {
            readNext();
          }
        }
        return null;
      }
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
      if (!last) {
        ws.request(1);
        return null;
      }
      ByteBuffer whole = ByteBuffer.wrap(binary.toByteArray());
      binary = null;
      if (deliverBinary(whole)) {
        readNext();
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed(statusCode, reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      broken(error);
    }
  }
}
