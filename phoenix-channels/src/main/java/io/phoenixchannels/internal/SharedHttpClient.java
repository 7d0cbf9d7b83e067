package io.phoenixchannels.internal;

import io.phoenixchannels.transport.BuiltInTransport;
import io.phoenixchannels.transport.LongPollTransport;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.WebSocketTransport;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link HttpClient} that sockets built without a transport share: created by the first such socket, dropped
 * when the last one closes. Its executor is two daemon threads, which is enough because transport callbacks only
 * decode frames and hand them to event loops; the JDK's default executor would grow a thread per busy socket.
 */
@AndroidExempt("the JDK transports' HttpClient: java.net.http, JVM only")
public final class SharedHttpClient {
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  private static HttpClient client;
  private static ExecutorService executor;
  private static int users;

  private SharedHttpClient() {}

  /**
   * Takes a share of a built-in transport over the shared client. {@code PhoenixSocket.Builder} calls this, and not
   * {@link #acquire()}, so that its own class file names nothing of {@code java.net.http}: a socket given another
   * transport (OkHttp on Android, where {@code java.net.http} does not exist) never loads this class or the JDK's
   * HTTP client.
   *
   * @param kind the WebSocket or the long-poll transport
   */
  public static TransportLease acquireTransport(BuiltInTransport kind) {
    HttpClient shared = acquire();
    Transport.Factory factory = kind == BuiltInTransport.LONG_POLL ? LongPollTransport.factory(shared)
        : WebSocketTransport.factory(shared);
    return new TransportLease(factory, () -> release(shared));
  }

  /**
   * A share of a built-in transport.
   *
   * @param factory the transport over the shared client
   * @param release gives the share back; a socket calls it once, when it closes
   */
  public record TransportLease(Transport.Factory factory, Runnable release) {}

  /** Takes a share of the client, creating it if needed. */
  public static synchronized HttpClient acquire() {
    if (client == null) {
      executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "phoenix-http-" + THREAD_IDS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
      client = HttpClient.newBuilder().executor(executor).build();
    }
    users++;
    return client;
  }

  /**
   * Gives back a share. When none is left the executor stops and the client is dropped; the JDK ends the client's
   * selector thread once the client is unreachable.
   */
  public static synchronized void release(HttpClient released) {
    if (released != client || users == 0) {
      return;
    }
    if (--users == 0) {
      executor.shutdown();
      executor = null;
      client = null;
    }
  }
}
