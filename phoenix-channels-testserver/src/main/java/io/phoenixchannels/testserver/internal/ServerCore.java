package io.phoenixchannels.testserver.internal;

import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.ServerListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The protocol side of a test server, independent of Jetty: connections, routes, PubSub, Presence, faults, and the
 * threads that run handlers and timers. Lives as long as the server object (across restarts).
 */
public final class ServerCore {
  private static final AtomicInteger SERVERS = new AtomicInteger();

  private final ServerOptions options;
  private final PhoenixTestServer api;
  private final ExecutorService workers;
  private final ScheduledThreadPoolExecutor scheduler;
  private final PubSub pubsub = new PubSub();
  private final PresenceTracker presence;
  private final FaultsImpl faults = new FaultsImpl(this);
  private final ConnectNegotiator negotiator;
  private final AtomicLong connectionIds = new AtomicLong();
  private final Map<Long, ConnectionImpl> open = new ConcurrentHashMap<>();
  private final ReentrantLock connectionsLock = new ReentrantLock();
  private final Condition connectionAdded = connectionsLock.newCondition();
  private final List<ConnectionImpl> all = new ArrayList<>();
  private int taken;

  /** Creates the core of a server; its threads start with it and end with {@link #shutdown()}. */
  public ServerCore(ServerOptions options, PhoenixTestServer api) {
    this.options = options;
    this.api = api;
    int server = SERVERS.incrementAndGet();
    this.workers = Executors.newCachedThreadPool(daemonThreads("phoenix-testserver-" + server + "-worker"));
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("phoenix-testserver-" + server + "-timer"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.presence = new PresenceTracker(pubsub, options.mapper());
    this.negotiator = new ConnectNegotiator(this);
  }

  /** The settings. */
  public ServerOptions options() {
    return options;
  }

  /** The public face of this server, for handlers that ask for it. */
  public PhoenixTestServer api() {
    return api;
  }

  /** Where bad frames, crashes and refusals are logged. */
  public System.Logger logger() {
    return options.logger();
  }

  /** Tells the server's listener of an event; what the listener throws is logged, never the server's problem. */
  void tell(String event, Consumer<ServerListener> call) {
    try {
      call.accept(options.listener());
    } catch (Throwable t) {
      Crashes.rethrowIfFatal(t);
      logger().log(Level.WARNING, "the server listener threw on " + event + "; ignored", t);
    }
  }

  /** The fault switches; read on every frame. */
  public FaultsImpl faults() {
    return faults;
  }

  /** Topic subscriptions and broadcasts. */
  public PubSub pubsub() {
    return pubsub;
  }

  /** Presence of every topic. */
  public PresenceTracker presence() {
    return presence;
  }

  ConnectNegotiator negotiator() {
    return negotiator;
  }

  ExecutorService workers() {
    return workers;
  }

  /** The timer thread: its tasks hop onto connection executors before touching protocol state. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** The first route whose pattern matches, as Phoenix tries them in order, or {@code null}. */
  Route route(String topic) {
    for (Route route : options.routes()) {
      if (route.matches(topic)) {
        return route;
      }
    }
    return null;
  }

  // ---- connections ----

  /** Registers an accepted connection; the transport attaches its wire before any frame flows. */
  public ConnectionImpl open(Negotiation negotiation, Wire wire) {
    ConnectionImpl connection = new ConnectionImpl(this, connectionIds.incrementAndGet(), negotiation);
    connection.attach(wire);
    open.put(connection.id(), connection);
    connectionsLock.lock();
    try {
      all.add(connection);
      connectionAdded.signalAll();
    } finally {
      connectionsLock.unlock();
    }
    logger().log(Level.DEBUG, () -> "connection #" + connection.id() + " opened: " + connection.request());
    tell("connected", listener -> listener.connected(connection));
    return connection;
  }

  void connectionClosed(ConnectionImpl connection) {
    open.remove(connection.id());
  }

  /** The connections open now, oldest first. Any thread. */
  public List<ConnectionImpl> openConnections() {
    List<ConnectionImpl> list = new ArrayList<>(open.values());
    list.sort((a, b) -> Long.compare(a.id(), b.id()));
    return list;
  }

  /** Every connection accepted since the server was built, oldest first. Any thread. */
  public List<ConnectionImpl> allConnections() {
    connectionsLock.lock();
    try {
      return List.copyOf(all);
    } finally {
      connectionsLock.unlock();
    }
  }

  /** The next connection not taken yet, in the order they opened. */
  public ConnectionImpl takeConnection(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    connectionsLock.lock();
    try {
      while (taken >= all.size()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no new connection within " + timeout.toMillis() + " ms (" + all.size()
              + " so far, all taken)");
        }
        connectionAdded.awaitNanos(left);
      }
      return all.get(taken++);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a connection", e);
    } finally {
      connectionsLock.unlock();
    }
  }

  /**
   * Closes every connection of a socket id, as {@code Endpoint.broadcast(id, "disconnect", %{})} does: with the
   * version's close code and no frame first. Queued on each connection, so a handler's reply goes out first.
   */
  public void disconnect(String socketId) {
    int code = options.version().disconnectCloseCode();
    for (ConnectionImpl connection : openConnections()) {
      if (connection.socketId().filter(socketId::equals).isPresent()) {
        connection.executor().execute(() -> connection.close(code, ""));
      }
    }
  }

  /** Closes every open connection with a code (a server going away). */
  public void closeAll(int code, String reason) {
    openConnections().forEach(connection -> connection.close(code, reason));
  }

  /** Waits (up to a bound) for the clients to answer close frames, so a stop closes cleanly. */
  public void awaitConnectionsClosed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ConnectionImpl connection : openConnections()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        connection.awaitClose(Duration.ofNanos(left));
      } catch (AssertionError stillOpen) {
        return;
      }
    }
  }

  /**
   * Ends every connection still registered after the transports stopped (Jetty gave no close for them), and waits
   * (up to a bound) until the channels of these connections have ended.
   */
  public void forgetOpenConnections(List<ConnectionImpl> wereOpen, Duration timeout) {
    for (ConnectionImpl connection : openConnections()) {
      connection.transportClosed(1001, "server stopped");
    }
    CompletableFuture<?>[] ends = wereOpen.stream().map(ConnectionImpl::ended).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(ends).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      logger().log(Level.WARNING, () -> "channels of stopped connections did not end within " + timeout.toMillis()
          + " ms: " + e);
    }
  }

  /** Ends what is left and stops the threads. */
  public void shutdown() {
    forgetOpenConnections(openConnections(), Duration.ofSeconds(1));
    scheduler.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
