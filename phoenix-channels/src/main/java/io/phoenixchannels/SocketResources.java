package io.phoenixchannels;

import io.phoenixchannels.internal.SharedHttpClient;
import io.phoenixchannels.internal.SocketOptions;
import io.phoenixchannels.transport.BuiltInTransport;
import io.phoenixchannels.transport.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * What a socket uses that other sockets share, taken when it is built and given back once when it closes: its
 * event loop (a share of the default group, unless the user gave a loop or a group, which stay the user's) and the
 * built-in transports (shares of the HTTP client that sockets share). Thread-safe.
 */
final class SocketResources {
  final EventLoop loop;
  /** The transport of the socket's connections. */
  final Transport.Factory transport;
  /** The long-poll fallback's transport, or {@code null} without a fallback. */
  final Transport.Factory longPollFallback;
  private final List<Runnable> shares;
  private boolean released;

  private SocketResources(EventLoop loop, Transport.Factory transport, Transport.Factory longPollFallback,
      List<Runnable> shares) {
    this.loop = loop;
    this.transport = transport;
    this.longPollFallback = longPollFallback;
    this.shares = shares;
  }

  static SocketResources acquire(SocketOptions options) {
    List<Runnable> shares = new ArrayList<>(3);
    EventLoop loop;
    if (options.eventLoop() != null) {
      loop = options.eventLoop();
    } else if (options.eventLoopGroup() != null) {
      loop = options.eventLoopGroup().next();
    } else {
      EventLoopGroup shared = EventLoopGroup.acquireShared();
      loop = shared.next();
      shares.add(() -> EventLoopGroup.releaseShared(shared));
    }
    Transport.Factory transport = options.transport();
    if (transport == null) {
      transport = builtIn(options.builtInTransport(), shares);
    }
    Transport.Factory longPoll = options.longPollFallbackTransport();
    if (options.longPollFallback() != null && longPoll == null) {
      longPoll = builtIn(BuiltInTransport.LONG_POLL, shares);
    }
    return new SocketResources(loop, transport, longPoll, shares);
  }

  /** Through SharedHttpClient only, so that this class names nothing of java.net.http (absent on Android). */
  private static Transport.Factory builtIn(BuiltInTransport kind, List<Runnable> shares) {
    SharedHttpClient.TransportLease lease = SharedHttpClient.acquireTransport(kind);
    shares.add(lease.release());
    return lease.factory();
  }

  /** Gives every share back; later calls do nothing. */
  void release() {
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
    }
    shares.forEach(Runnable::run);
  }

  synchronized boolean isReleased() {
    return released;
  }
}
