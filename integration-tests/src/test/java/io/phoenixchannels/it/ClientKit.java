package io.phoenixchannels.it;

import io.phoenixchannels.Message;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Push;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.RejoinPolicy;
import io.phoenixchannels.Reply;
import io.phoenixchannels.testserver.ClientConnection;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Shortcuts for client-against-test-server tests: fast timings, blocking waits with deadlines. */
final class ClientKit {
  static final Duration WAIT = Duration.ofSeconds(5);
  /**
   * The test servers' long-poll window: an idle poll is answered after it, and a session nobody polls ends after
   * it. A long-poll client leaves its channels before it disconnects, but a session the server ends is noticed only
   * from the next request, up to a window later (as in Phoenix): a short window keeps such tests fast.
   */
  static final Duration LONG_POLL_WINDOW = Duration.ofSeconds(1);

  private ClientKit() {}

  /** The reference app of a Phoenix version, with the short long-poll window. */
  static PhoenixTestServer server(PhoenixVersion version) {
    return server(PhoenixTestServer.builder().version(version));
  }

  /** The reference app on a configured builder, with the short long-poll window. */
  static PhoenixTestServer server(PhoenixTestServer.Builder builder) {
    return ReferenceApp.configure(builder.longPollWindow(LONG_POLL_WINDOW)).start();
  }

  /** A socket to the server over the JDK WebSocket; see {@link #socket(PhoenixTestServer, Map, ClientTransport)}. */
  static PhoenixSocket.Builder socket(PhoenixTestServer server, Map<String, ?> params) {
    return socket(server, params, ClientTransport.JDK_WEBSOCKET);
  }

  /** A socket to the server with short timeouts and quick reconnects and rejoins (not connected yet). */
  static PhoenixSocket.Builder socket(PhoenixTestServer server, Map<String, ?> params, ClientTransport transport) {
    return transport.applyTo(PhoenixSocket.builder(server.url())
        .params(params)
        .timeout(Duration.ofSeconds(2))
        .reconnectPolicy(ReconnectPolicy.builder().delays(ms(20), ms(50), ms(100)).build())
        .rejoinPolicy(RejoinPolicy.builder().delays(ms(50), ms(100)).build()));
  }

  /** A socket to a scenario's server; see {@link #socket(PhoenixTestServer, Map, ClientTransport)}. */
  static PhoenixSocket.Builder socket(ScenarioServer server, Map<String, ?> params, ClientTransport transport) {
    return transport.applyTo(PhoenixSocket.builder(server.url())
        .params(params)
        .timeout(Duration.ofSeconds(2))
        .reconnectPolicy(ReconnectPolicy.builder().delays(ms(20), ms(50), ms(100)).build())
        .rejoinPolicy(RejoinPolicy.builder().delays(ms(50), ms(100)).build()));
  }

  /**
   * For {@code @MethodSource}: the test server as Phoenix 1.8 and both real servers, each with every transport,
   * for scenarios whose behaviour both releases share.
   */
  static Stream<Arguments> everyServerAndTransport() {
    return withTransports(Target.TEST_SERVER_1_8, Target.REAL_1_7, Target.REAL_1_8);
  }

  /** For {@code @MethodSource}: the test server in both modes and both real servers, each with every transport. */
  static Stream<Arguments> everyVersionAndTransport() {
    return withTransports(Target.TEST_SERVER_1_7, Target.TEST_SERVER_1_8, Target.REAL_1_7, Target.REAL_1_8);
  }

  /** For {@code @MethodSource}: Phoenix 1.8 behaviour, on the test server and the real 1.8, with every transport. */
  static Stream<Arguments> phoenix18AndTransports() {
    return withTransports(Target.TEST_SERVER_1_8, Target.REAL_1_8);
  }

  /** For {@code @MethodSource}: Phoenix 1.7 behaviour, on the test server and the real 1.7, with every transport. */
  static Stream<Arguments> phoenix17AndTransports() {
    return withTransports(Target.TEST_SERVER_1_7, Target.REAL_1_7);
  }

  /** The targets with every transport; the real ones only when this run has them ({@link RealPhoenix#listed()}). */
  private static Stream<Arguments> withTransports(Target... targets) {
    List<Arguments> all = new ArrayList<>();
    for (Target target : targets) {
      if (target.real() && !RealPhoenix.listed()) {
        continue;
      }
      for (ClientTransport transport : ClientTransport.values()) {
        all.add(Arguments.of(target, transport));
      }
    }
    return all.stream();
  }

  /** The latest connection whose URL carried {@code name=value}, waiting for it to open. */
  static ClientConnection connectionWith(PhoenixTestServer server, String name, String value) {
    return org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
      ClientConnection found = null;
      for (ClientConnection connection : server.connections()) {
        if (value.equals(connection.request().param(name))) {
          found = connection;
        }
      }
      return found;
    }, java.util.Objects::nonNull);
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  /** The reply (ok or error) of a push, waiting for it. */
  static Reply reply(Push push) throws InterruptedException {
    try {
      return push.toFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("push '" + push.event() + "' failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("push '" + push.event() + "' got no outcome within " + WAIT.toMillis() + " ms");
    }
  }

  /** The failure a push ended with (a timeout, for example), waiting for it. */
  static Throwable failure(Push push) throws InterruptedException {
    try {
      Reply reply = push.toFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("push '" + push.event() + "' succeeded with " + reply);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("push '" + push.event() + "' got no outcome within " + WAIT.toMillis() + " ms");
    }
  }

  /** Collects the messages of one event on a channel. */
  static Inbox inbox(PhoenixChannel channel, String event) {
    Inbox inbox = new Inbox();
    channel.on(event, inbox.queue::add);
    return inbox;
  }

  /** Messages collected by {@link #inbox}, taken with a deadline. */
  static final class Inbox {
    final BlockingQueue<Message> queue = new LinkedBlockingQueue<>();

    Message take() throws InterruptedException {
      Message message = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (message == null) {
        throw new AssertionError("no message within " + WAIT.toMillis() + " ms");
      }
      return message;
    }

    boolean isEmpty() {
      return queue.isEmpty();
    }
  }

  /** Anything a callback hands over, taken with a deadline. */
  static final class Events<T> {
    final BlockingQueue<T> queue = new LinkedBlockingQueue<>();

    void add(T event) {
      queue.add(event);
    }

    T take() throws InterruptedException {
      return take(WAIT);
    }

    T take(Duration atMost) throws InterruptedException {
      T event = queue.poll(atMost.toMillis(), TimeUnit.MILLISECONDS);
      if (event == null) {
        throw new AssertionError("no event within " + atMost.toMillis() + " ms");
      }
      return event;
    }
  }
}
