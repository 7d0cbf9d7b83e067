package io.phoenixchannels;

import static io.phoenixchannels.testing.ServerFrames.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.ServerFrames;
import io.phoenixchannels.testing.SilentLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link PhoenixChannel#publisher}: back-pressure, overflow policies, and the Reactive Streams rules it keeps. */
class MessagePublisherTest {
  private final ChannelHarness h = new ChannelHarness();

  /** A subscriber that records its signals and requests only when told. */
  static final class Recorder implements Flow.Subscriber<Message> {
    final List<String> signals = new CopyOnWriteArrayList<>();
    final List<Integer> items = new CopyOnWriteArrayList<>();
    volatile Flow.Subscription subscription;
    volatile Throwable error;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      signals.add("subscribe");
      subscription = s;
    }

    @Override
    public void onNext(Message message) {
      signals.add("next");
      items.add(message.payload().get("i").asInt());
    }

    @Override
    public void onError(Throwable throwable) {
      signals.add("error");
      error = throwable;
    }

    @Override
    public void onComplete() {
      signals.add("complete");
    }
  }

  private Recorder subscribe(int bufferSize, OverflowPolicy overflow) {
    Recorder recorder = new Recorder();
    h.channel.publisher("tick", bufferSize, overflow).subscribe(recorder);
    return recorder;
  }

  private void ticks(int from, int to) {
    for (int i = from; i <= to; i++) {
      h.broadcast("tick", json("{\"i\":" + i + "}"));
    }
  }

  @Nested
  class BackPressure {
    @Test
    void deliversNoMoreThanRequested() {
      h.connectAndJoin();
      Recorder recorder = subscribe(16, OverflowPolicy.ERROR);
      assertThat(recorder.signals).containsExactly("subscribe");

      recorder.subscription.request(2);
      ticks(1, 3);
      assertThat(recorder.items).containsExactly(1, 2);

      recorder.subscription.request(5);
      assertThat(recorder.items).containsExactly(1, 2, 3);
      ticks(4, 4);
      assertThat(recorder.items).containsExactly(1, 2, 3, 4);
    }

    @Test
    void isHotAndFiltersByEvent() {
      h.connectAndJoin();
      ticks(1, 1);
      Recorder recorder = subscribe(16, OverflowPolicy.ERROR);
      recorder.subscription.request(Long.MAX_VALUE);
      h.broadcast("other", json("{\"i\":99}"));
      ticks(2, 3);
      assertThat(recorder.items).containsExactly(2, 3);
    }

    @Test
    void keepsEachSubscriptionIndependent() {
      h.connectAndJoin();
      Recorder fast = subscribe(4, OverflowPolicy.DROP_NEWEST);
      Recorder slow = subscribe(4, OverflowPolicy.DROP_NEWEST);
      fast.subscription.request(Long.MAX_VALUE);
      ticks(1, 3);
      slow.subscription.request(1);
      assertThat(fast.items).containsExactly(1, 2, 3);
      assertThat(slow.items).containsExactly(1);
    }

    @Test
    void servesARequestMadeInsideOnNextWithoutRecursing() {
      h.connectAndJoin();
      AtomicInteger depth = new AtomicInteger();
      AtomicInteger deepest = new AtomicInteger();
      List<Integer> items = new ArrayList<>();
      AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
      h.channel.publisher("tick", 5_000, OverflowPolicy.ERROR).subscribe(new Flow.Subscriber<>() {
        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscription.set(s);
        }

        @Override
        public void onNext(Message message) {
          deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
          items.add(message.payload().get("i").asInt());
          subscription.get().request(1);
          depth.decrementAndGet();
        }

        @Override
        public void onError(Throwable throwable) {
          items.add(-1);
        }

        @Override
        public void onComplete() {}
      });
      ticks(1, 3_000);
      assertThat(items).isEmpty();

      subscription.get().request(1);

      assertThat(items).hasSize(3_000).startsWith(1, 2).endsWith(3_000);
      assertThat(deepest.get()).as("onNext never runs inside onNext").isEqualTo(1);
    }
  }

  @Nested
  class Overflow {
    @Test
    void dropOldestKeepsTheLatestMessages() {
      h.connectAndJoin();
      Recorder recorder = subscribe(2, OverflowPolicy.DROP_OLDEST);
      ticks(1, 4);
      recorder.subscription.request(10);
      assertThat(recorder.items).containsExactly(3, 4);
    }

    @Test
    void dropNewestKeepsTheFirstMessages() {
      h.connectAndJoin();
      Recorder recorder = subscribe(2, OverflowPolicy.DROP_NEWEST);
      ticks(1, 4);
      recorder.subscription.request(10);
      assertThat(recorder.items).containsExactly(1, 2);
    }

    @Test
    void errorEndsTheSubscriptionAndLeavesTheChannel() {
      h.connectAndJoin();
      AtomicInteger hooked = new AtomicInteger();
      // The channel hands messages to its hook only while someone listens: the hook shows whether we still do.
      h.channel.messageHook(message -> {
        hooked.incrementAndGet();
        return message;
      });
      Recorder recorder = subscribe(2, OverflowPolicy.ERROR);
      ticks(1, 3);

      assertThat(recorder.signals).containsExactly("subscribe", "error");
      assertThat(recorder.error).isInstanceOf(PhoenixException.class).hasMessageContaining("fell behind");
      int before = hooked.get();
      ticks(4, 5);
      recorder.subscription.request(10);
      assertThat(hooked.get()).as("no listener left on the channel").isEqualTo(before);
      assertThat(recorder.signals).containsExactly("subscribe", "error");
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void cancelStopsDeliveryAndRemovesTheListener() {
      h.connectAndJoin();
      AtomicInteger hooked = new AtomicInteger();
      h.channel.messageHook(message -> {
        hooked.incrementAndGet();
        return message;
      });
      Recorder recorder = subscribe(8, OverflowPolicy.ERROR);
      recorder.subscription.request(Long.MAX_VALUE);
      ticks(1, 1);
      recorder.subscription.cancel();
      int before = hooked.get();
      ticks(2, 3);

      assertThat(recorder.items).containsExactly(1);
      assertThat(hooked.get()).isEqualTo(before);
    }

    @Test
    void aNonPositiveRequestIsAnError() {
      h.connectAndJoin();
      Recorder recorder = subscribe(8, OverflowPolicy.ERROR);
      recorder.subscription.request(0);
      assertThat(recorder.signals).containsExactly("subscribe", "error");
      assertThat(recorder.error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
    }

    @Test
    void completesWhenTheChannelClosesOnceTheBufferedMessagesWereDelivered() {
      h.connectAndJoin();
      Recorder recorder = subscribe(8, OverflowPolicy.ERROR);
      ticks(1, 3);
      h.channel.leave();
      String leaveRef = h.fake.last().sentWithEvent("phx_leave").get(0).get(1).asText();
      h.send(h.channel.joinRef(), leaveRef, "phx_reply", json("{\"status\":\"ok\",\"response\":{}}"));
      assertThat(h.channel.state()).isEqualTo(ChannelState.CLOSED);
      assertThat(recorder.signals).containsExactly("subscribe");

      recorder.subscription.request(2);
      assertThat(recorder.signals).containsExactly("subscribe", "next", "next");
      recorder.subscription.request(1);
      assertThat(recorder.signals).containsExactly("subscribe", "next", "next", "next", "complete");
    }

    @Test
    void staysSubscribedAcrossAChannelErrorAndRejoin() {
      h.connectAndJoin();
      Recorder recorder = subscribe(8, OverflowPolicy.ERROR);
      recorder.subscription.request(Long.MAX_VALUE);
      ticks(1, 1);
      h.dropConnection();
      h.reconnectAndRejoin();
      ticks(2, 2);
      assertThat(recorder.signals).containsExactly("subscribe", "next", "next");
    }

    @Test
    void aSubscriberOfAClosedChannelCompletesAtOnce() {
      h.connectAndJoin();
      h.socket.close();
      Recorder recorder = subscribe(8, OverflowPolicy.ERROR);
      assertThat(recorder.signals).containsExactly("subscribe", "complete");
    }

    @Test
    void refusesANullSubscriberAndABadBufferSize() {
      Flow.Publisher<Message> publisher = h.channel.publisher("tick", 1, OverflowPolicy.ERROR);
      assertThatThrownBy(() -> publisher.subscribe(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> h.channel.publisher("tick", 0, OverflowPolicy.ERROR))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** On real threads: a pool as the callback executor, requests from another thread. */
  @Nested
  class Threads {
    @Test
    void signalsNeverOverlapAndArriveInOrderWhileAnotherThreadRequests() throws Exception {
      int count = 2_000;
      ExecutorService pool = Executors.newFixedThreadPool(4);
      ExecutorService requester = Executors.newSingleThreadExecutor();
      FakeTransport transport = new FakeTransport();
      try (EventLoopGroup group = EventLoopGroup.create(1);
          PhoenixSocket socket = PhoenixSocket.builder("ws://example.test/socket")
              .eventLoopGroup(group).transport(transport).callbackExecutor(pool).logger(new SilentLogger())
              .build()) {
        PhoenixChannel room = socket.channel("room:1");
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Integer> items = new CopyOnWriteArrayList<>();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        room.publisher("tick", count, OverflowPolicy.ERROR).subscribe(new Flow.Subscriber<>() {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
          }

          @Override
          public void onNext(Message message) {
            if (inFlight.incrementAndGet() != 1) {
              overlaps.incrementAndGet();
            }
            items.add(message.payload().get("i").asInt());
            inFlight.decrementAndGet();
          }

          @Override
          public void onError(Throwable throwable) {
            items.add(-1);
          }

          @Override
          public void onComplete() {}
        });
        room.join();
        socket.connect();
        await().atMost(Duration.ofSeconds(10)).until(() -> transport.count() == 1 && subscription.get() != null);
        transport.last().open();
        await().atMost(Duration.ofSeconds(10)).until(() -> room.state() == ChannelState.JOINING);
        socket.loop().execute(() -> {
          transport.last().receive(ServerFrames.ok("1", "1", "room:1"));
          for (int i = 0; i < count; i++) {
            transport.last().receive(ServerFrames.broadcast("room:1", "tick", "{\"i\":" + i + "}"));
          }
        });
        requester.execute(() -> {
          for (int i = 0; i < count / 10; i++) {
            subscription.get().request(10);
          }
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> items.size() >= count);
        assertThat(overlaps.get()).isZero();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          expected.add(i);
        }
        assertThat(items).isEqualTo(expected);
      } finally {
        requester.shutdownNow();
        pool.shutdownNow();
      }
    }
  }
}
