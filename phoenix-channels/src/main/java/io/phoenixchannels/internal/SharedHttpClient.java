package io.phoenixchannels.internal;

import io.phoenixchannels.internal.loop.ThreadEventLoop;
import io.phoenixchannels.transport.BuiltInTransport;
import io.phoenixchannels.transport.LongPollTransport;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.WebSocketTransport;
import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link HttpClient} that sockets built without a transport share: created by the first such socket, dropped
 * when the last one closes. Its executor runs a task at once on the thread that submits it, usually the client's
 * own selector thread: transport callbacks only decode a frame and hand it to an event loop, and never block (flow
 * control holds back the next read instead of waiting), so a hand-off to another thread per frame would cost CPU
 * and latency for nothing. A task submitted on an event loop goes to one of two daemon threads instead
 * ({@code phoenix-http-N}, gone after a second idle), since the client may resolve a host name in it, which blocks. The
 * JDK's default executor would grow a thread per busy socket.
 */
@AndroidExempt("the JDK transports' HttpClient: java.net.http, JVM only")
public final class SharedHttpClient {
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  /** Where tasks submitted on an event loop run. */
  private static final ThreadPoolExecutor OFF_LOOP = new ThreadPoolExecutor(2, 2, 1, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "phoenix-http-" + THREAD_IDS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });

  static {
    OFF_LOOP.allowCoreThreadTimeOut(true);
  }
  /** Runs a task on the calling thread, unless that is an event loop's. */
  private static final Executor DIRECT = task -> {
    if (ThreadEventLoop.onLoopThread()) {
      OFF_LOOP.execute(task);
    } else {
      task.run();
    }
  };
  private static HttpClient client;
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
      client = HttpClient.newBuilder().executor(DIRECT).build();
    }
    users++;
    return client;
  }

  /**
   * Gives back a share. When none is left the client is dropped; the JDK ends the client's selector thread once
   * the client is unreachable.
   */
  public static synchronized void release(HttpClient released) {
    if (released != client || users == 0) {
      return;
    }
    if (--users == 0) {
      client = null;
    }
  }
}
