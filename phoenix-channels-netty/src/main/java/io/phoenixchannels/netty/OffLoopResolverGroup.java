package io.phoenixchannels.netty;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Resolves host names on threads of their own instead of the connection's event loop: Netty's default resolver
 * calls the blocking {@link InetAddress#getByName} on the loop, where one slow DNS answer would stall every socket
 * on that thread. An IP literal needs no lookup and is resolved at once, with no hand-off.
 */
final class OffLoopResolverGroup extends AddressResolverGroup<InetSocketAddress> {
  private final Executor lookups;

  /**
   * @param lookups where the blocking lookups run
   */
  OffLoopResolverGroup(Executor lookups) {
    this.lookups = lookups;
  }

  @Override
  protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
    return new OffLoopNameResolver(executor).asAddressResolver();
  }

  /** One loop's resolver: the lookup runs on the lookup threads, the promise completes on the loop. */
  private final class OffLoopNameResolver extends InetNameResolver {
    OffLoopNameResolver(EventExecutor executor) {
      super(executor);
    }

    @Override
    protected void doResolve(String host, Promise<InetAddress> promise) {
      byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
      if (literal != null) {
        try {
          promise.setSuccess(InetAddress.getByAddress(host, literal));
        } catch (UnknownHostException e) {
          promise.setFailure(e);
        }
        return;
      }
      offLoop(promise, () -> InetAddress.getByName(host));
    }

    @Override
    protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
      byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
      if (literal != null) {
        try {
          promise.setSuccess(List.of(InetAddress.getByAddress(host, literal)));
        } catch (UnknownHostException e) {
          promise.setFailure(e);
        }
        return;
      }
      offLoop(promise, () -> Arrays.asList(InetAddress.getAllByName(host)));
    }

    private <T> void offLoop(Promise<T> promise, Lookup<T> lookup) {
      try {
        lookups.execute(() -> {
          try {
            promise.trySuccess(lookup.run());
          } catch (UnknownHostException | RuntimeException e) {
            promise.tryFailure(e);
          }
        });
      } catch (RejectedExecutionException e) {
        promise.tryFailure(e);
      }
    }
  }

  /** A blocking lookup. */
  @FunctionalInterface
  private interface Lookup<T> {
    T run() throws UnknownHostException;
  }
}
