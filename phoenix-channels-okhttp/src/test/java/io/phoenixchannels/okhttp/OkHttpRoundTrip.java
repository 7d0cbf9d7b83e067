package io.phoenixchannels.okhttp;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;

/**
 * What an Android app does, minus Android: a socket over OkHttp through connect, join, push and reply, then close.
 * {@link NoJavaNetHttpTest} runs it in a fresh JVM and watches which classes it loads.
 */
public final class OkHttpRoundTrip {
  static final String DONE = "round trip over OkHttp done";

  private OkHttpRoundTrip() {}

  /**
   * Runs the round trip; exits non-zero if it fails.
   *
   * @param args unused
   * @throws Exception if a step fails or times out
   */
  public static void main(String[] args) throws Exception {
    OkHttpClient client = new OkHttpClient();
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(new MockResponse.Builder().webSocketUpgrade(new PhoenixServerEnd()).build());
      try (PhoenixSocket socket = PhoenixSocket.builder("ws://" + server.getHostName() + ":" + server.getPort()
              + "/socket")
          .transport(OkHttpTransport.factory(client))
          .build()) {
        PhoenixChannel room = socket.channel("room:lobby");
        room.join();
        socket.connect();
        room.push("echo", Map.of("body", "hi")).toFuture(Map.class).get(10, TimeUnit.SECONDS);
      }
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
    System.out.println(DONE);
  }
}
