package io.phoenixchannels.examples;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.okhttp.OkHttpTransport;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;

/**
 * A chat screen as an Android activity or fragment holds it, in plain Java: the socket lives from {@code onStart}
 * to {@code onStop}, goes through the app's own {@link OkHttpClient} (there is no {@code java.net.http} on
 * Android), and calls back on the main thread, where views may be touched. On Android, {@code mainThread} is
 * {@code ContextCompat.getMainExecutor(context)} and {@code http} the app's shared client.
 */
public final class ChatScreen {
  private final String url;
  private final OkHttpClient http;
  private final Executor mainThread;
  private final Supplier<String> token;
  private final Consumer<ChatMessage> show;
  private PhoenixSocket socket;
  private PhoenixChannel room;

  /**
   * Creates the screen.
   *
   * @param url the socket URL
   * @param http the app's OkHttp client: its interceptors, certificate pinning and timeouts apply
   * @param mainThread runs the callbacks; on Android the main thread's executor
   * @param token the current session token, asked again on every reconnect
   * @param show shows a message; called on {@code mainThread}
   */
  public ChatScreen(String url, OkHttpClient http, Executor mainThread, Supplier<String> token,
      Consumer<ChatMessage> show) {
    this.url = url;
    this.http = http;
    this.mainThread = mainThread;
    this.token = token;
    this.show = show;
  }

  // README:android:begin
  /** Connects when the screen becomes visible. */
  public void onStart() {
    socket = PhoenixSocket.builder(url)
        .transport(OkHttpTransport.factory(http)) // the app's client: interceptors, pinning, timeouts
        .authToken(token)                         // read again on every reconnect
        .callbackExecutor(mainThread)             // ContextCompat.getMainExecutor(context)
        .build();
    room = socket.channel("room:lobby");
    room.on("new_msg", ChatMessage.class, show);   // on the main thread: may update views
    room.join();
    socket.connect();
  }

  /** Leaves the room and disconnects when the screen goes away. */
  public void onStop() {
    socket.close();
  }
  // README:android:end

  /**
   * Posts a message typed on the screen.
   *
   * @param text the text
   */
  public void send(String text) {
    room.push("new_msg", new ChatMessage("me", text)); // buffered while the socket reconnects
  }
}
