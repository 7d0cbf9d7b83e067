package io.phoenixchannels.okhttp;

import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * The server's end of a MockWebServer WebSocket: records what the client sent ({@code open}, {@code text:...},
 * {@code binary:<hex>}, {@code closing <code> <reason>}, {@code failure}) and answers a client's close frame, as
 * a server does. Subclasses may answer messages.
 */
class ServerEnd extends WebSocketListener {
  final List<String> events = new CopyOnWriteArrayList<>();
  volatile WebSocket socket;

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    socket = webSocket;
    events.add("open");
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    events.add("text:" + text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    events.add("binary:" + bytes.hex());
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    events.add("closing " + code + " " + reason);
    webSocket.close(code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    events.add("failure");
  }

  /** The server's WebSocket, once open. */
  WebSocket awaitOpen() {
    await().pollInterval(RecordingListener.POLL).atMost(RecordingListener.DEADLINE).until(() -> socket != null);
    return socket;
  }

  void awaitEvent(String event) {
    await().pollInterval(RecordingListener.POLL).atMost(RecordingListener.DEADLINE).until(() -> events.contains(event));
  }

  /** Waits until the connection is gone from the server's side: a close handshake or a failure. */
  void awaitGone() {
    await().pollInterval(RecordingListener.POLL).atMost(RecordingListener.DEADLINE)
        .until(() -> events.stream().anyMatch(e -> e.startsWith("closing") || e.equals("failure")));
  }
}
