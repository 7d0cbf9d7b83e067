package io.phoenixchannels.netty;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.phoenixchannels.EventLoop;
import io.phoenixchannels.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * A few Netty event-loop threads that any number of sockets share, as their event loops and for their connections.
 *
 * <pre>{@code
 * try (NettyEventLoops netty = NettyEventLoops.create(2)) {
 *   PhoenixSocket socket = PhoenixSocket.builder("ws://localhost:4000/socket")
 *       .eventLoop(netty.next())
 *       .transport(netty.transport())
 *       .build();
 *   ...
 * }
 * }</pre>
 *
 * <p>A socket built with {@link #next()} as its event loop keeps its state on one Netty thread, and the
 * {@linkplain #transport() transport} registers the socket's connection on that same thread: frames go from the
 * wire to the socket's channels with no hand-off between threads, and the socket's sends reach the wire with none
 * either. Sockets with other event loops may use the transport too; their connections are spread over the group.
 * 10,000 sockets need no more threads than the group has.
 *
 * <p>The threads are daemon threads named {@code phoenix-netty-N}. Host names are resolved on other daemon threads
 * ({@code phoenix-netty-dns-N}, started when a lookup is needed), so a slow DNS answer never stalls a loop. Close
 * the group after the sockets using it.
 *
 * <p>On Linux, add Netty's native epoll library for your platform (for example
 * {@code io.netty:netty-transport-native-epoll} with the classifier {@code linux-x86_64}) and the group uses
 * epoll; otherwise it uses NIO. With NIO, a thread that hands a socket work while its loop waits for I/O wakes the
 * selector under a JDK lock that the loop takes too: on a busy machine, a pushing thread descheduled while holding
 * it stalled a loop for 17 ms (measured). Epoll wakes the loop without a lock.
 */
public final class NettyEventLoops implements AutoCloseable {
  private final MultiThreadIoEventLoopGroup group;
  private final List<NettyEventLoop> loops = new ArrayList<>();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final Object sslLock = new Object();
  private final boolean epoll;
  /** Blocking DNS lookups, off the loops; threads come when a host name needs one and go after a minute idle. */
  private final ExecutorService lookups = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
      new SynchronousQueue<>(), new DefaultThreadFactory("phoenix-netty-dns", true));
  private final OffLoopResolverGroup resolver = new OffLoopResolverGroup(lookups);
  private SslContext defaultSsl;

  private NettyEventLoops(int threads, boolean epoll) {
    this.epoll = epoll;
    group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("phoenix-netty", true),
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    for (EventExecutor executor : group) {
      loops.add(new NettyEventLoop((io.netty.channel.EventLoop) executor));
    }
  }

  /**
   * Starts a group.
   *
   * @param threads the number of threads, at least 1; one per core is plenty, since no task blocks
   * @return the group; close it after the sockets using it
   */
  public static NettyEventLoops create(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("a Netty event-loop group needs at least one thread, got " + threads);
    }
    return new NettyEventLoops(threads, Epoll.isAvailable());
  }

  /** A group on NIO even where epoll is available: for tests of the NIO path. */
  static NettyEventLoops createNio(int threads) {
    return new NettyEventLoops(threads, false);
  }

  /**
   * Returns the event loop for the next socket, round robin.
   *
   * @return one of the group's loops, for {@code PhoenixSocket.Builder.eventLoop}
   */
  public EventLoop next() {
    return loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
  }

  /**
   * Returns the number of threads.
   *
   * @return the group's size
   */
  public int size() {
    return loops.size();
  }

  /**
   * Returns the transport, verifying {@code wss} servers against the JDK's default trust store.
   *
   * @return a factory for {@code PhoenixSocket.Builder.transport}
   */
  public Transport.Factory transport() {
    return (request, listener) -> NettyTransport.open(this, null, request, listener);
  }

  /**
   * Returns the transport with a TLS context of your own, for a private CA or client certificates. The server's
   * host name is verified either way.
   *
   * @param ssl a client context, for example from {@code SslContextBuilder.forClient()}
   * @return a factory for {@code PhoenixSocket.Builder.transport}
   */
  public Transport.Factory transport(SslContext ssl) {
    Objects.requireNonNull(ssl, "ssl");
    return (request, listener) -> NettyTransport.open(this, ssl, request, listener);
  }

  /**
   * Tells whether the group uses Linux's epoll through Netty's native library, or NIO.
   *
   * @return true for epoll
   */
  public boolean isNativeEpoll() {
    return epoll;
  }

  /** Stops the threads; sockets still using them stop working, so close those first. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    lookups.shutdownNow();
    resolver.close();
  }

  /** Resolves host names off the loops. */
  OffLoopResolverGroup resolver() {
    return resolver;
  }

  /** The Netty loop of the calling thread if it is one of this group's, else the next one: where to connect. */
  io.netty.channel.EventLoop loopForConnection() {
    for (NettyEventLoop loop : loops) {
      if (loop.inEventLoop()) {
        return loop.netty();
      }
    }
    return group.next();
  }

  Class<? extends SocketChannel> channelClass() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  SslContext defaultSsl() throws SSLException {
    synchronized (sslLock) {
      if (defaultSsl == null) {
        defaultSsl = SslContextBuilder.forClient().build();
      }
      return defaultSsl;
    }
  }
}
