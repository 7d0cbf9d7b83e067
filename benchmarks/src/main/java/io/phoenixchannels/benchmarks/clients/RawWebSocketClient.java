package io.phoenixchannels.benchmarks.clients;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The ceiling of any client on the JDK WebSocket: frames encoded once by Jackson before the run (a ring of
 * {@value #RING} frames per event, each with its own ref), sent over {@link java.net.http.WebSocket} through one
 * {@link HttpClient} with two threads (as this project's default transport has), replies matched by ref with a
 * streaming parser that reads no further than it must. No messages, no channels, no timers, no heartbeats.
 *
 * <p>It supports what the workloads need and no more: one channel per socket, a reply slower than {@value #RING}
 * later pushes would be matched to the wrong push.
 */
public final class RawWebSocketClient implements BenchClient {
  /** Pre-encoded frames per event; refs 2..RING+1 (ref 1 is the join). */
  static final int RING = 4096;
  private static final String JOIN_REF = "1";

  private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
    Thread thread = new Thread(runnable, "raw-http");
    thread.setDaemon(true);
    return thread;
  });
  private final HttpClient http = HttpClient.newBuilder().executor(executor).build();
  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonFactory parsers = mapper.getFactory();
  private final ErrorCounter errors = new ErrorCounter();

  @Override
  public BenchSocket open(String url) {
    RawSocket socket = new RawSocket();
    http.newWebSocketBuilder()
        .buildAsync(URI.create(url + "/websocket?vsn=2.0.0"), socket)
        .whenComplete((ws, error) -> {
          if (error != null) {
            errors.add(error);
            socket.joined.completeExceptionally(error);
          }
        });
    return socket;
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
    executor.shutdown();
  }

  private String encode(List<Object> frame) {
    try {
      return mapper.writeValueAsString(frame);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final class RawSocket implements BenchSocket, BenchChannel, WebSocket.Listener {
    final CompletableFuture<BenchChannel> joined = new CompletableFuture<>();
    private final ArrayDeque<String> outbox = new ArrayDeque<>();
    private final Map<String, String[]> frames = new ConcurrentHashMap<>();
    private final Map<String, Runnable> handlers = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<Runnable> replyHandlers = new AtomicReferenceArray<>(RING);
    private final AtomicInteger nextSlot = new AtomicInteger();
    private StringBuilder partial;
    private String topic;
    private WebSocket ws;
    private boolean sending;

    @Override
    public CompletableFuture<BenchChannel> join(String topic, Map<String, Object> params) {
      if (this.topic != null) {
        throw new IllegalStateException("the raw baseline supports one channel per socket");
      }
      this.topic = topic;
      send(encode(Arrays.asList(JOIN_REF, JOIN_REF, topic, "phx_join", params)));
      return joined;
    }

    @Override
    public void push(String event, Map<String, Object> payload, Runnable onOk) {
      String[] ring = frames.computeIfAbsent(event, e -> {
        String[] encoded = new String[RING];
        for (int i = 0; i < RING; i++) {
          encoded[i] = encode(Arrays.asList(JOIN_REF, Integer.toString(i + 2), topic, e, payload));
        }
        return encoded;
      });
      int slot = Math.floorMod(nextSlot.getAndIncrement(), RING);
      replyHandlers.set(slot, onOk);
      send(ring[slot]);
    }

    @Override
    public void on(String event, Runnable handler) {
      handlers.put(event, handler);
    }

    @Override
    public void close() {
      WebSocket socket;
      synchronized (outbox) {
        socket = ws;
      }
      if (socket != null) {
        socket.abort();
      }
    }

    // ---- sending: the JDK takes one frame at a time ----

    private void send(String frame) {
      synchronized (outbox) {
        outbox.add(frame);
        if (sending || ws == null) {
          return;
        }
        sending = true;
      }
      sendQueued();
    }

    private void sendQueued() {
      while (true) {
        String frame;
        WebSocket socket;
        synchronized (outbox) {
          frame = outbox.poll();
          if (frame == null) {
            sending = false;
            return;
          }
          socket = ws;
        }
        CompletableFuture<WebSocket> sent = socket.sendText(frame, true);
        if (!sent.isDone()) {
          sent.whenComplete((w, error) -> {
            if (error != null) {
              errors.add(error);
            } else {
              sendQueued();
            }
          });
          return;
        }
        if (sent.isCompletedExceptionally()) {
          errors.add("send failed");
          return;
        }
      }
    }

    // ---- receiving ----

    @Override
    public void onOpen(WebSocket webSocket) {
      boolean flush;
      synchronized (outbox) {
        ws = webSocket;
        flush = !outbox.isEmpty() && !sending;
        sending |= flush;
      }
      if (flush) {
        sendQueued();
      }
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      if (!last || partial != null) {
        if (partial == null) {
          partial = new StringBuilder();
        }
        partial.append(data);
        if (last) {
          String whole = partial.toString();
          partial = null;
          received(whole);
        }
      } else {
        received(data.toString());
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      errors.add(error);
      joined.completeExceptionally(error);
    }

    /** Reads the refs, and topic and event only for a message without a ref; never the payload. */
    private void received(String frame) {
      try (JsonParser p = parsers.createParser(frame)) {
        p.nextToken(); // [
        p.nextToken(); // join_ref
        if (p.nextToken() == JsonToken.VALUE_STRING) {
          int ref = Integer.parseInt(p.getText());
          if (ref == 1) {
            joined.complete(this);
            return;
          }
          Runnable handler = replyHandlers.getAndSet(ref - 2, null);
          if (handler != null) {
            handler.run();
          }
          return;
        }
        p.nextToken(); // topic
        p.nextToken();
        Runnable handler = handlers.get(p.getText());
        if (handler != null) {
          handler.run();
        }
      } catch (IOException | RuntimeException e) {
        errors.add(e);
      }
    }
  }
}
