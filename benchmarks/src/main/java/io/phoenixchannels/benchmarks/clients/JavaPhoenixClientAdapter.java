package io.phoenixchannels.benchmarks.clients;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kotlin.Unit;
import okhttp3.OkHttpClient;
import org.phoenixframework.Channel;
import org.phoenixframework.Defaults;
import org.phoenixframework.Socket;

/**
 * JavaPhoenixClient 1.3.1 ({@code com.github.dsrees:JavaPhoenixClient}), the most used JVM client, as its README
 * shows it, with one improvement in its favour: all sockets share one {@link OkHttpClient} (its default is a new
 * client per socket), whose dispatcher may run any number of WebSockets at once. OkHttp's default limits (64 calls,
 * 5 per host) count every open WebSocket, and held a shared client to 64 joined sockets (seen here).
 */
public final class JavaPhoenixClientAdapter implements BenchClient {
  private static final long TIMEOUT_MS = 10_000;

  private final OkHttpClient http = unlimited(new OkHttpClient());
  private final ErrorCounter errors = new ErrorCounter();

  @Override
  public BenchSocket open(String url) {
    // JavaPhoenixClient appends nothing to the URL: it needs the transport path itself.
    Socket socket = new Socket(url + "/websocket", Map.of(), "2.0.0", Defaults.INSTANCE.getEncode(),
        Defaults.INSTANCE.getDecode(), http);
    socket.onError((error, response) -> {
      errors.add(error);
      return Unit.INSTANCE;
    });
    socket.connect();
    return new BenchSocket() {
      @Override
      public CompletableFuture<BenchChannel> join(String topic, Map<String, Object> params) {
        Channel channel = socket.channel(topic, params);
        CompletableFuture<BenchChannel> joined = new CompletableFuture<>();
        BenchChannel bench = new JpcChannel(channel);
        channel.join(TIMEOUT_MS)
            .receive("ok", message -> {
              joined.complete(bench);
              return Unit.INSTANCE;
            })
            .receive("error", message -> countError("join " + topic + ": " + message))
            .receive("timeout", message -> countError("join " + topic + ": timeout"));
        return joined;
      }

      @Override
      public void close() {
        socket.disconnect(1000, null, null);
      }
    };
  }

  private static OkHttpClient unlimited(OkHttpClient client) {
    client.dispatcher().setMaxRequests(Integer.MAX_VALUE);
    client.dispatcher().setMaxRequestsPerHost(Integer.MAX_VALUE);
    return client;
  }

  private Unit countError(String what) {
    errors.add(what);
    return Unit.INSTANCE;
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
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private final class JpcChannel implements BenchChannel {
    private final Channel channel;

    JpcChannel(Channel channel) {
      this.channel = channel;
    }

    @Override
    public void push(String event, Map<String, Object> payload, Runnable onOk) {
      channel.push(event, payload, TIMEOUT_MS)
          .receive("ok", message -> {
            onOk.run();
            return Unit.INSTANCE;
          })
          .receive("error", message -> countError(event + ": " + message))
          .receive("timeout", message -> countError(event + ": timeout"));
    }

    @Override
    public void on(String event, Runnable handler) {
      channel.on(event, message -> {
        handler.run();
        return Unit.INSTANCE;
      });
    }
  }
}
