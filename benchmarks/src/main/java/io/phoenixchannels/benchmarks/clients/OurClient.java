package io.phoenixchannels.benchmarks.clients;

import io.phoenixchannels.EventLoop;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.transport.Transport;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * This project's client, as a user would write it: one {@link PhoenixSocket} per socket with its defaults (the
 * shared event-loop group, callbacks on the loop), pushes answered through {@code receive("ok", ...)}.
 */
public final class OurClient implements BenchClient {
  private final Transport.Factory transport;
  private final Supplier<EventLoop> loops;
  private final Runnable releaseTransport;
  private final ErrorCounter errors = new ErrorCounter();

  /**
   * @param transport the transport every socket uses, or {@code null} for the default (JDK WebSocket)
   * @param loops the event loop of each new socket, or {@code null} for the default shared group
   * @param releaseTransport run on {@link #close()}, after the sockets are closed
   */
  public OurClient(Transport.Factory transport, Supplier<EventLoop> loops, Runnable releaseTransport) {
    this.transport = transport;
    this.loops = loops;
    this.releaseTransport = releaseTransport;
  }

  @Override
  public BenchSocket open(String url) {
    PhoenixSocket.Builder builder = PhoenixSocket.builder(url);
    if (transport != null) {
      builder.transport(transport);
    }
    if (loops != null) {
      builder.eventLoop(loops.get());
    }
    PhoenixSocket socket = builder.build();
    socket.onError(errors::add);
    socket.connect();
    return new BenchSocket() {
      @Override
      public CompletableFuture<BenchChannel> join(String topic, Map<String, Object> params) {
        PhoenixChannel channel = socket.channel(topic, params);
        CompletableFuture<BenchChannel> joined = new CompletableFuture<>();
        BenchChannel bench = new OurChannel(channel);
        channel.join()
            .receive("ok", reply -> joined.complete(bench))
            .receive("error", reply -> errors.add("join " + topic + ": " + reply))
            .receive("timeout", () -> errors.add("join " + topic + ": timeout"));
        return joined;
      }

      @Override
      public BenchPresence joinWithPresence(String topic, Map<String, Object> params, IntConsumer synced) {
        PhoenixChannel channel = socket.channel(topic, params);
        PhoenixPresence presence = new PhoenixPresence(channel);
        // Written and read only by this socket's callbacks, which never overlap.
        int[] keys = {0};
        presence.onJoin((key, current, joined) -> {
          if (current.metas().isEmpty()) {
            keys[0]++;
          }
        });
        presence.onLeave((key, current, left) -> {
          if (current.metas().isEmpty()) {
            keys[0]--;
          }
        });
        presence.onSync(() -> synced.accept(keys[0]));
        channel.join()
            .receive("error", reply -> errors.add("join " + topic + ": " + reply))
            .receive("timeout", () -> errors.add("join " + topic + ": timeout"));
        return () -> presence.list().size();
      }

      @Override
      public void close() {
        socket.close();
      }
    };
  }

  @Override
  public long errors() {
    return errors.count();
  }

  @Override
  public String firstError() {
    return errors.first();
  }

  @Override
  public void close() {
    if (releaseTransport != null) {
      releaseTransport.run();
    }
  }

  private final class OurChannel implements BenchChannel {
    private final PhoenixChannel channel;

    OurChannel(PhoenixChannel channel) {
      this.channel = channel;
    }

    @Override
    public void push(String event, Map<String, Object> payload, Runnable onOk) {
      channel.push(event, payload)
          .receive("ok", reply -> onOk.run())
          .receive("error", reply -> errors.add(event + ": " + reply))
          .receive("timeout", () -> errors.add(event + ": timeout"));
    }

    @Override
    public void on(String event, Runnable handler) {
      channel.on(event, message -> handler.run());
    }
  }
}
