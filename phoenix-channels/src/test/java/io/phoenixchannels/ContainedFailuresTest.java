package io.phoenixchannels;

import static io.phoenixchannels.testing.ServerFrames.broadcast;
import static io.phoenixchannels.testing.ServerFrames.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.SilentLogger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Failures that must not leave the socket half-updated: callbacks that throw {@link Error}s, channels created while
 * the socket closes.
 */
class ContainedFailuresTest {
  private final ManualEventLoop loop = new ManualEventLoop();
  private final FakeTransport transport = new FakeTransport();

  private PhoenixSocket connected() {
    PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport)
        .logger(new SilentLogger()).build();
    socket.connect();
    transport.last().open();
    return socket;
  }

  @Nested
  class CallbacksThatThrowErrors {
    @Test
    void anOnCloseListenerThrowingAnAssertionErrorStillLetsTheDisconnectFutureComplete() {
      PhoenixSocket socket = connected();
      List<CloseEvent> laterListener = new ArrayList<>();
      socket.onClose(close -> {
        throw new AssertionError("a test assertion inside a callback");
      });
      socket.onClose(laterListener::add);

      CompletableFuture<Void> disconnected = socket.disconnect();

      assertThat(disconnected).isCompleted();
      assertThat(laterListener).hasSize(1);
      assertThat(socket.state()).isEqualTo(SocketState.CLOSED);
    }

    @Test
    void closeFinishesWhenAnOnCloseListenerThrowsAStackOverflowError() {
      PhoenixSocket socket = connected();
      PhoenixChannel channel = socket.channel("room:1");
      channel.join();
      transport.last().receive(ok("1", "1", "room:1"));
      Push waiting = channel.push("slow", Map.of());
      socket.onClose(close -> {
        throw new StackOverflowError();
      });

      socket.close();

      assertThat(transport.last().isClosed()).isTrue();
      assertThat(waiting.toFuture()).isCompletedWithValueMatching(reply -> reply.failure().isPresent());
      assertThat(socket.state()).isEqualTo(SocketState.CLOSED);
      assertThat(socket.resources().isReleased()).as("the shared loop and HTTP client given back").isTrue();
      assertThat(loop.pendingTimers()).as("nothing left running").isZero();
    }

    @Test
    void aMessageListenerThrowingAnErrorDoesNotKeepTheMessageFromLaterListeners() {
      PhoenixSocket socket = connected();
      PhoenixChannel channel = socket.channel("room:1");
      channel.join();
      transport.last().receive(ok("1", "1", "room:1"));
      List<String> seen = new ArrayList<>();
      channel.on("shout", message -> {
        throw new StackOverflowError();
      });
      channel.on("shout", message -> seen.add("binding"));
      channel.onMessage(message -> seen.add("onMessage " + message.event()));

      transport.last().receive(broadcast("room:1", "shout", "{}"));
      transport.last().receive(broadcast("room:1", "shout", "{}"));

      assertThat(seen).containsExactly("binding", "onMessage shout", "binding", "onMessage shout");
    }

    @Test
    void anErrorOnTheCallbackExecutorDoesNotStopLaterCallbacks() {
      ConcurrentLinkedQueue<Runnable> frames = new ConcurrentLinkedQueue<>();
      PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport)
          .logger(new SilentLogger()).callbackExecutor(frames::add).build();
      List<String> seen = new ArrayList<>();
      socket.onOpen(() -> {
        throw new AssertionError("first open");
      });
      socket.onOpen(() -> seen.add("open"));
      socket.onClose(close -> seen.add("close"));
      socket.connect();
      transport.last().open();
      socket.disconnect();

      for (Runnable next = frames.poll(); next != null; next = frames.poll()) {
        next.run();
      }

      assertThat(seen).containsExactly("open", "close");
    }
  }

  @Nested
  class UserCodeTheLoopCalls {
    @Test
    void aReconnectPredicateThatThrowsStopsTheReconnectsLoudlyAndTheCloseIsStillReported() {
      PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoop(loop).transport(transport)
          .logger(new SilentLogger()).reconnectPolicy(ReconnectPolicy.builder().reconnectIf(close -> {
            throw new AssertionError("a policy bug");
          }).build()).build();
      List<CloseEvent> closes = new ArrayList<>();
      List<PhoenixException> errors = new ArrayList<>();
      socket.onClose(closes::add);
      socket.onError(errors::add);
      socket.connect();
      transport.last().open();

      transport.last().serverClose(1011, "crash");

      assertThat(closes).hasSize(1);
      assertThat(errors).anySatisfy(error -> assertThat(error).hasMessageContaining("reconnect policy threw"));
      assertThat(socket.state()).isEqualTo(SocketState.CLOSED);
    }

    @Test
    void joinParamsThatThrowAnErrorEndTheJoinAsFailed() {
      PhoenixSocket socket = connected();
      PhoenixChannel channel = socket.channel("room:1", () -> {
        throw new StackOverflowError();
      });

      Push join = channel.join();

      assertThat(join.toFuture()).isCompletedWithValueMatching(reply -> reply.status().equals(Reply.FAILED));
    }
  }

  @Nested
  class ChannelsCreatedAsTheSocketCloses {
    @Test
    void aJoinAfterTheSocketClosedFailsInsteadOfWaitingForever() {
      PhoenixSocket socket = connected();
      PhoenixChannel channel = socket.channel("room:late");
      socket.close();

      Push join = channel.join();

      assertThat(channel.state()).isEqualTo(ChannelState.CLOSED);
      assertThat(join.toFuture()).isCompletedWithValueMatching(reply -> reply.failure().isPresent());
    }

    @Test
    void everyChannelCreatedWhileAnotherThreadClosesTheSocketEndsClosedWithItsJoinEnded() throws Exception {
      try (EventLoopGroup group = EventLoopGroup.create(1)) {
        PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket").eventLoopGroup(group)
            .transport(new FakeTransport()).logger(new SilentLogger()).build();
        ConcurrentLinkedQueue<Push> joins = new ConcurrentLinkedQueue<>();
        CountDownLatch firstCreated = new CountDownLatch(1);
        Thread creator = new Thread(() -> {
          for (int i = 0; i < 20_000; i++) {
            PhoenixChannel channel;
            try {
              channel = socket.channel("room:" + i);
            } catch (IllegalStateException closed) {
              return;
            }
            joins.add(channel.join());
            firstCreated.countDown();
          }
        }, "channel-creator");
        creator.start();
        assertThat(firstCreated.await(10, TimeUnit.SECONDS)).isTrue();
        socket.close();
        creator.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(creator.isAlive()).isFalse();

        for (Push join : joins) {
          Reply reply = awaitEnd(join);
          assertThat(reply.failure()).as("the join of %s", join.channel().topic()).isPresent();
          assertThat(join.channel().state()).isEqualTo(ChannelState.CLOSED);
        }
        assertThat(socket.channels()).isEmpty();
      }
    }

    private Reply awaitEnd(Push join) throws InterruptedException, ExecutionException {
      try {
        return join.toFuture().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the join of " + join.channel().topic() + " never ended", e);
      }
    }
  }
}
