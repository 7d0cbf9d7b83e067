package io.phoenixchannels;

import static io.phoenixchannels.testing.ServerFrames.broadcast;
import static io.phoenixchannels.testing.ServerFrames.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.phoenixchannels.testing.FakeTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The threading contract of DESIGN.md, on real event-loop threads. */
class ThreadingTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(0, closeable);
    return closeable;
  }

  /** Runs a task on the socket's loop and waits for its result: a barrier that also publishes loop state. */
  private static <T> T onLoop(PhoenixSocket socket, Callable<T> task) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    socket.loop().execute(() -> {
      try {
        result.complete(task.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A connected socket on its own group, with a joined channel "room:1" (join ref "1"). */
  private PhoenixChannel joinedChannel(PhoenixSocket socket, FakeTransport transport) throws Exception {
    socket.connect();
    await().atMost(DEADLINE).until(() -> transport.count() == 1);
    transport.last().open();
    PhoenixChannel channel = socket.channel("room:1");
    channel.join();
    await().atMost(DEADLINE).until(() -> onLoop(socket, () -> transport.last().sentTexts().size()) == 1);
    transport.last().receive(ok("1", "1", "room:1"));
    await().atMost(DEADLINE).until(() -> channel.state() == ChannelState.JOINED);
    return channel;
  }

  @Nested
  class EventLoop {
    @Test
    void ownsAllStateWhileManyThreadsPushAtOnce() throws Exception {
      EventLoopGroup group = closeLater(EventLoopGroup.create(1));
      FakeTransport transport = new FakeTransport();
      PhoenixSocket socket = closeLater(PhoenixSocket.builder("ws://example.test/socket")
          .eventLoopGroup(group).transport(transport).build());
      PhoenixChannel channel = joinedChannel(socket, transport);
      int threads = 8;
      int perThread = 500;
      ExecutorService pushers = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pushers.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            channel.push("item", Map.of("thread", thread, "i", i));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      }
      pushers.shutdown();
      List<String> sent = onLoop(socket, () -> new ArrayList<>(transport.last().sentTexts()));
      assertThat(sent).hasSize(1 + threads * perThread);
      Set<String> refs = new HashSet<>();
      int[] nextPerThread = new int[threads];
      for (var frame : transport.last().sentWithEvent("item")) {
        refs.add(frame.get(1).asText());
        int thread = frame.get(4).get("thread").asInt();
        assertThat(frame.get(4).get("i").asInt()).as("each thread's pushes stay in order")
            .isEqualTo(nextPerThread[thread]++);
      }
      assertThat(refs).as("every ref is unique").hasSize(threads * perThread);
    }

    @Test
    void receiversRegisteredFromAnotherThreadBeforeTheLoopSawThePushFireInOrder() throws Exception {
      EventLoopGroup group = closeLater(EventLoopGroup.create(1));
      FakeTransport transport = new FakeTransport();
      PhoenixSocket socket = closeLater(PhoenixSocket.builder("ws://example.test/socket")
          .eventLoopGroup(group).transport(transport).build());
      PhoenixChannel channel = joinedChannel(socket, transport);
      List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
      CountDownLatch loopBusy = new CountDownLatch(1);
      socket.loop().execute(() -> {
        try {
          loopBusy.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      Push push = channel.push("echo", Map.of())
          .receive("ok", reply -> calls.add("first ok"))
          .receive("error", reply -> calls.add("error"))
          .receive("ok", reply -> calls.add("second ok"));
      loopBusy.countDown();
      await().atMost(DEADLINE).until(() -> onLoop(socket, () -> transport.last().sentWithEvent("echo").size()) == 1);
      String ref = onLoop(socket, () -> transport.last().sentWithEvent("echo").get(0).get(1).asText());
      transport.last().receive(ok("1", ref, "room:1"));
      await().atMost(DEADLINE).until(() -> calls.size() == 2);
      push.receive("ok", reply -> calls.add("after the reply"));
      await().atMost(DEADLINE).until(() -> calls.size() == 3);
      assertThat(calls).containsExactly("first ok", "second ok", "after the reply");
    }

    @Test
    void runsCallsInlineWhenAlreadyOnTheLoop() throws Exception {
      EventLoopGroup group = closeLater(EventLoopGroup.create(1));
      FakeTransport transport = new FakeTransport();
      PhoenixSocket socket = closeLater(PhoenixSocket.builder("ws://example.test/socket")
          .eventLoopGroup(group).transport(transport).build());
      PhoenixChannel channel = joinedChannel(socket, transport);
      AtomicInteger sentWhenPushReturned = new AtomicInteger(-1);
      CountDownLatch handled = new CountDownLatch(1);
      channel.on("ping", message -> {
        channel.push("pong", Map.of());
        sentWhenPushReturned.set(transport.last().sentWithEvent("pong").size());
        handled.countDown();
      });
      transport.last().receive(broadcast("room:1", "ping", "{}"));
      assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sentWhenPushReturned.get()).as("a push from a loop callback goes out before push() returns")
          .isEqualTo(1);
    }

    @Test
    void sharesOneGroupAmongManySockets() throws Exception {
      EventLoopGroup group = closeLater(EventLoopGroup.create(2));
      Set<String> loopThreads = ConcurrentHashMap.newKeySet();
      List<PhoenixSocket> sockets = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        PhoenixSocket socket = closeLater(PhoenixSocket.builder("ws://example.test/socket")
            .eventLoopGroup(group).transport(new FakeTransport()).build());
        sockets.add(socket);
      }
      for (PhoenixSocket socket : sockets) {
        loopThreads.add(onLoop(socket, () -> Thread.currentThread().getName()));
      }
      assertThat(loopThreads).hasSize(2).allSatisfy(name -> assertThat(name).startsWith("phoenix-loop-"));
    }

    @Test
    void sharedDefaultThreadsAreNamedDaemonsAndStopWithTheLastSocket() throws Exception {
      PhoenixSocket first = PhoenixSocket.builder("ws://example.test/socket").transport(new FakeTransport()).build();
      PhoenixSocket second = PhoenixSocket.builder("ws://example.test/socket").transport(new FakeTransport())
          .build();
      Thread firstLoop = onLoop(first, Thread::currentThread);
      Thread secondLoop = onLoop(second, Thread::currentThread);
      assertThat(List.of(firstLoop, secondLoop)).allSatisfy(thread -> {
        assertThat(thread.getName()).matches("phoenix-loop-\\d+");
        assertThat(thread.isDaemon()).isTrue();
      });
      first.close();
      assertThat(secondLoop.isAlive()).as("the second socket still uses the group").isTrue();
      second.close();
      await().atMost(DEADLINE).until(() -> !firstLoop.isAlive() && !secondLoop.isAlive());
    }

    @Test
    void sharedHttpClientThreadsStopWithTheLastSocket() throws Exception {
      PhoenixSocket socket = PhoenixSocket.builder("ws://127.0.0.1:9/socket").build();
      socket.connect(); // port 9 refuses: enough to start the HTTP client's threads
      await().atMost(DEADLINE).until(() -> httpThreads().size() > 0);
      socket.close();
      await().atMost(DEADLINE).until(() -> httpThreads().isEmpty());
    }

    private List<Thread> httpThreads() {
      return Thread.getAllStackTraces().keySet().stream()
          .filter(thread -> thread.getName().startsWith("phoenix-http-") && thread.isAlive()).toList();
    }
  }

  @Nested
  class Callbacks {
    @Test
    void runOnTheCallbackExecutorOneAtATimeAndInOrder() throws Exception {
      EventLoopGroup group = closeLater(EventLoopGroup.create(1));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      FakeTransport transport = new FakeTransport();
      PhoenixSocket socket = closeLater(PhoenixSocket.builder("ws://example.test/socket")
          .eventLoopGroup(group).transport(transport).callbackExecutor(pool).build());
      PhoenixChannel channel = joinedChannel(socket, transport);
      int messages = 2_000;
      List<Integer> order = new ArrayList<>();
      AtomicInteger active = new AtomicInteger();
      AtomicInteger maxActive = new AtomicInteger();
      Set<String> threads = ConcurrentHashMap.newKeySet();
      CountDownLatch all = new CountDownLatch(messages);
      channel.on("n", message -> {
        maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
        threads.add(Thread.currentThread().getName());
        order.add(message.payload().get("i").asInt());
        active.decrementAndGet();
        all.countDown();
      });
      for (int i = 0; i < messages; i++) {
        transport.last().receive(broadcast("room:1", "n", "{\"i\":" + i + "}"));
      }
      assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
      pool.shutdown();
      assertThat(maxActive.get()).as("callbacks never overlap").isEqualTo(1);
      assertThat(order).as("callbacks arrive in order").isSorted().hasSize(messages);
      assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("pool-"));
    }

    @Test
    void aThrowingCallbackDoesNotStopTheOthers() throws Exception {
      EventLoopGroup group = closeLater(EventLoopGroup.create(1));
      FakeTransport transport = new FakeTransport();
      PhoenixSocket socket = closeLater(PhoenixSocket.builder("ws://example.test/socket")
          .eventLoopGroup(group).transport(transport).logger(System.getLogger("quiet.test")).build());
      PhoenixChannel channel = joinedChannel(socket, transport);
      CountDownLatch second = new CountDownLatch(2);
      channel.on("n", message -> {
        throw new IllegalStateException("boom from a user callback");
      });
      channel.on("n", message -> second.countDown());
      transport.last().receive(broadcast("room:1", "n", "{}"));
      transport.last().receive(broadcast("room:1", "n", "{}"));
      assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Nested
  class BlockingOnFutures {
    @Test
    void failsFastOnTheEventLoop() throws Exception {
      EventLoopGroup group = closeLater(EventLoopGroup.create(1));
      FakeTransport transport = new FakeTransport();
      PhoenixSocket socket = closeLater(PhoenixSocket.builder("ws://example.test/socket")
          .eventLoopGroup(group).transport(transport).build());
      PhoenixChannel channel = joinedChannel(socket, transport);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      channel.on("go", message -> {
        try {
          channel.push("echo", Map.of()).toFuture().get(1, TimeUnit.SECONDS);
        } catch (Throwable e) {
          thrown.set(e);
        }
        done.countDown();
      });
      transport.last().receive(broadcast("room:1", "go", "{}"));
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("would deadlock");
    }

    @Test
    void failsFastInACallbackOnAUserExecutorToo() throws Exception {
      EventLoopGroup group = closeLater(EventLoopGroup.create(1));
      ExecutorService ui = Executors.newSingleThreadExecutor();
      FakeTransport transport = new FakeTransport();
      PhoenixSocket socket = closeLater(PhoenixSocket.builder("ws://example.test/socket")
          .eventLoopGroup(group).transport(transport).callbackExecutor(ui).build());
      PhoenixChannel channel = joinedChannel(socket, transport);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      channel.on("go", message -> {
        try {
          channel.push("echo", Map.of()).toFuture().join();
        } catch (Throwable e) {
          thrown.set(e);
        }
        done.countDown();
      });
      transport.last().receive(broadcast("room:1", "go", "{}"));
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      ui.shutdown();
      assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void worksFromOtherThreadsWhileReceiversRunOnTheLoop() throws Exception {
      EventLoopGroup group = closeLater(EventLoopGroup.create(1));
      FakeTransport transport = new FakeTransport();
      PhoenixSocket socket = closeLater(PhoenixSocket.builder("ws://example.test/socket")
          .eventLoopGroup(group).transport(transport).build());
      PhoenixChannel channel = joinedChannel(socket, transport);
      Push push = channel.push("echo", Map.of("a", 1));
      CompletableFuture<Reply> future = push.toFuture();
      CompletableFuture<String> thread = new CompletableFuture<>();
      push.receive("ok", reply -> thread.complete(Thread.currentThread().getName()));
      await().atMost(DEADLINE).until(() -> onLoop(socket, () -> transport.last().sentWithEvent("echo").size()) == 1);
      transport.last().receive(io.phoenixchannels.testing.ServerFrames.reply("1", "2", "room:1", "ok", "{\"a\":1}"));
      assertThat(future.get(10, TimeUnit.SECONDS).response().get("a").asInt()).isEqualTo(1);
      assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("phoenix-loop-");
    }
  }
}
