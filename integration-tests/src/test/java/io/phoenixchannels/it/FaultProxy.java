package io.phoenixchannels.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback for fault injection between a client and a server: it forwards bytes both ways and can
 * delay them, hold them (a blackholed link: nothing arrives, nothing is lost, no FIN), cut every connection with a
 * reset, or refuse new connections. Test code; every connection costs two threads.
 */
public final class FaultProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(daemon("proxy-delay"));
  private final AtomicInteger accepted = new AtomicInteger();
  private final Object holdLock = new Object();
  private final int port;
  private final ServerSocket server;
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean holding;
  private volatile boolean refusing;
  private volatile boolean closed;

  /**
   * Starts a proxy on an ephemeral loopback port.
   *
   * @param targetPort the server's port on 127.0.0.1
   */
  public FaultProxy(int targetPort) throws IOException {
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.server = socket;
    this.port = socket.getLocalPort();
    startAccepting(socket);
  }

  /** The proxy's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** How many connections the proxy accepted so far. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** How many connections are open now. */
  public int openConnections() {
    return (int) links.stream().filter(link -> !link.isClosed()).count();
  }

  /** Delays every chunk of bytes by this much, in both directions, keeping their order. */
  public void delay(Duration newDelay) {
    this.delay = newDelay;
  }

  /** Holds every byte in both directions until {@link #heal()}: packets vanish, nothing closes. */
  public void blackhole() {
    holding = true;
  }

  /** Ends a blackhole: held bytes go through, in order. */
  public void heal() {
    synchronized (holdLock) {
      holding = false;
      holdLock.notifyAll();
    }
  }

  /** Resets every open connection (RST, no FIN handshake). */
  public void cut() {
    for (Link link : links) {
      link.reset();
    }
  }

  /**
   * Refuses new connections until {@link #accept()}: each one is reset as soon as it arrives, before any byte
   * reaches the server. Open connections are untouched. (The port keeps listening: closing it would let a client's
   * next connect land on the same ephemeral port and connect to itself.)
   */
  public void refuse() {
    refusing = true;
  }

  /** Forwards new connections again after {@link #refuse()}. */
  public void accept() {
    refusing = false;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    heal();
    server.close();
    cut();
    delays.shutdownNow();
  }

  private void startAccepting(ServerSocket socket) {
    Thread acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          Socket client = socket.accept();
          if (refusing) {
            client.setSoLinger(true, 0);
            client.close();
            continue;
          }
          accepted.incrementAndGet();
          Socket upstream = new Socket();
          try {
            upstream.connect(target, 5_000);
          } catch (IOException refusedUpstream) {
            // Pass the refusal on at once, so the client does not wait for its connect timeout.
            client.setSoLinger(true, 0);
            client.close();
            upstream.close();
            continue;
          }
          Link link = new Link(client, upstream);
          links.add(link);
          link.start();
        } catch (IOException e) {
          if (!socket.isClosed() && !closed) {
            continue; // the upstream refused this one; keep accepting
          }
          return;
        }
      }
    }, "proxy-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void forward(Socket from, Socket to, Link link) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        awaitHeal();
        byte[] chunk = Arrays.copyOf(buffer, read);
        Duration current = delay;
        if (current.isZero()) {
          out.write(chunk);
          out.flush();
        } else {
          delays.schedule(() -> write(out, chunk, link), current.toNanos(), TimeUnit.NANOSECONDS);
        }
      }
      Duration current = delay;
      if (current.isZero()) {
        link.halfClose(to);
      } else {
        // The end of the stream waits behind the delayed bytes, as a FIN would.
        delays.schedule(() -> link.halfClose(to), current.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (IOException e) {
      link.reset();
    }
  }

  private void write(OutputStream out, byte[] chunk, Link link) {
    try {
      out.write(chunk);
      out.flush();
    } catch (IOException e) {
      link.reset();
    }
  }

  private void awaitHeal() throws IOException {
    synchronized (holdLock) {
      while (holding && !closed) {
        try {
          holdLock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while blackholed", e);
        }
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One client connection and its upstream twin. */
  private final class Link {
    private final Socket client;
    private final Socket upstream;
    private final AtomicInteger finishedDirections = new AtomicInteger();

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      Thread up = new Thread(() -> forward(client, upstream, this), "proxy-up-" + port);
      Thread down = new Thread(() -> forward(upstream, client, this), "proxy-down-" + port);
      up.setDaemon(true);
      down.setDaemon(true);
      up.start();
      down.start();
    }

    boolean isClosed() {
      return client.isClosed() && upstream.isClosed();
    }

    /** One direction reached end of stream: pass the FIN on, and close both sockets once both directions ended. */
    void halfClose(Socket to) {
      try {
        to.shutdownOutput();
        if (finishedDirections.incrementAndGet() == 2) {
          client.close();
          upstream.close();
        }
      } catch (IOException e) {
        reset();
      }
    }

    void reset() {
      abort(client);
      abort(upstream);
    }

    private void abort(Socket socket) {
      try {
        if (!socket.isClosed()) {
          socket.setSoLinger(true, 0);
          socket.close();
        }
      } catch (SocketException e) {
        // Already gone.
      } catch (IOException e) {
        // Closing a reset socket can fail; it is closed either way.
      }
    }
  }
}
