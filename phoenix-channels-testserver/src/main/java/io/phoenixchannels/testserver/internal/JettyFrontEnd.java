package io.phoenixchannels.testserver.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The Jetty server in front of a {@link ServerCore}: one connector (TLS when configured), the WebSocket upgrade at {@code
 * <path>/websocket}, long-poll at {@code <path>/longpoll}. A fresh Jetty server per start, so a stopped test server
 * restarts cleanly on the same port.
 */
public final class JettyFrontEnd {
  private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(1);

  private final ServerCore core;
  private Server server;
  private LongPollEndpoint longPoll;
  private AtomicBoolean stopping;
  private int port;

  /** A front end for a core, not listening yet. */
  public JettyFrontEnd(ServerCore core) {
    this.core = core;
    this.port = core.options().port();
  }

  /** Starts listening; on the port of the previous start, if there was one. */
  public synchronized void start() throws Exception {
    if (server != null) {
      return;
    }
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setDaemon(true);
    threads.setName("phoenix-testserver-http");
    Server jetty = new Server(threads);
    ServerConnector connector;
    if (core.options().tls() == null) {
      connector = new ServerConnector(jetty, 1, 1);
    } else {
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setSslContext(core.options().tls());
      connector = new ServerConnector(jetty, 1, 1, tls);
    }
    connector.setHost(core.options().host());
    connector.setPort(port);
    connector.setReuseAddress(true);
    // A production-sized listen backlog: with the JDK's default of 50, thousands of clients connecting at once
    // have their SYNs dropped and wait for TCP's retransmits (1 s, 3 s, 7 s...), which no real server makes them do.
    connector.setAcceptQueueSize(1024);
    jetty.addConnector(connector);

    LongPollEndpoint endpoint = new LongPollEndpoint(core);
    WebSocketUpgradeHandler webSockets = new WebSocketUpgradeHandler();
    webSockets.addMapping(core.options().path() + "/websocket", new WebSocketUpgrade(core));
    webSockets.setHandler(new HttpEndpoints(core, endpoint));
    AtomicBoolean stoppingNow = new AtomicBoolean();
    jetty.setHandler(new UpgradeGate(core, webSockets, stoppingNow));
    // No graceful wait on stop: stop() has already closed the WebSockets and answered the held polls.
    jetty.setStopTimeout(0);
    try {
      jetty.start();
    } catch (Exception e) {
      jetty.stop();
      throw e;
    }
    port = connector.getLocalPort();
    server = jetty;
    longPoll = endpoint;
    stopping = stoppingNow;
    core.logger().log(Level.DEBUG, () -> "test server listening on " + core.options().host() + ":" + port);
  }

  /**
   * Stops listening: the port stops accepting first, as a server going down closes its listener, so that clients
   * reconnecting at once are refused until the next start instead of being served by a server about to cut them;
   * then WebSockets close with 1001 (going away) and long-poll sessions end.
   */
  public synchronized void stop() throws Exception {
    if (server == null) {
      return;
    }
    // A closed listening socket can still take connections for a moment (the JDK closes it for good only once its
    // acceptor thread leaves accept()); requests on those get a 503, as in a graceful shutdown, never a session.
    stopping.set(true);
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof NetworkConnector listening) {
        listening.close();
      }
    }
    core.closeAll(1001, "server stopping");
    longPoll.endAll();
    core.awaitConnectionsClosed(CLOSE_WAIT);
    try {
      server.stop();
    } finally {
      server = null;
      longPoll = null;
      stopping = null;
    }
  }

  /** Tells whether Jetty is listening. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** The bound port, or the configured one before the first start. */
  public synchronized int port() {
    return port;
  }
}
