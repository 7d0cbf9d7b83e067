package io.phoenixchannels.cli;

import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Presence;
import io.phoenixchannels.Push;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One of the demo's users: a socket with the default reconnect and rejoin policies, {@code room:lobby} joined with
 * its Presence, and narration of what its callbacks see. The counters are what the demo waits for and sums up.
 */
final class DemoClient implements AutoCloseable {
  static final String LOBBY = "room:lobby";

  private final String id;
  private final Narrator narrator;
  private final Conditions conditions;
  private final PhoenixSocket socket;
  private final PhoenixChannel lobby;
  private final PhoenixPresence presence;
  private final AtomicInteger opens = new AtomicInteger();
  private final AtomicInteger drops = new AtomicInteger();
  private final AtomicInteger failedAttempts = new AtomicInteger();
  private final AtomicInteger joins = new AtomicInteger();
  private final AtomicInteger crashes = new AtomicInteger();
  private final AtomicInteger broadcastsReceived = new AtomicInteger();
  private volatile List<String> online = List.of();
  private volatile boolean connected;
  private volatile boolean syncedSinceJoin;

  /**
   * @param id the user id, sent as the {@code user_id} connect param: the Presence key
   * @param name the display name, sent as the {@code name} join param
   * @param callbacks where every callback of the demo runs, one at a time, so the story is told in order
   */
  DemoClient(String id, String name, String url, Executor callbacks, Narrator narrator, Conditions conditions) {
    this.id = id;
    this.narrator = narrator;
    this.conditions = conditions;
    this.socket = PhoenixSocket.builder(url)
        .params(Map.of("user_id", id))
        .callbackExecutor(callbacks)
        .logger(LineLogger.silent("io.phoenixchannels"))
        .build();
    socket.onOpen(() -> changed(() -> {
      connected = true;
      narrator.say(opens.incrementAndGet() == 1 ? id + " connected" : id + " reconnected by itself");
    }));
    socket.onClose(close -> changed(() -> {
      if (connected && !close.requested()) {
        drops.incrementAndGet();
        narrator.say(id + " lost its connection (close " + close.code() + "); reconnecting on its backoff");
      }
      connected = false;
    }));
    socket.onError(error -> changed(failedAttempts::incrementAndGet));

    lobby = socket.channel(LOBBY, Map.of("name", name));
    presence = new PhoenixPresence(lobby);
    presence.onSync(() -> changed(() -> {
      List<String> now = presence.list(Presence::key).stream().sorted().toList();
      if (!now.equals(online) || !syncedSinceJoin) {
        narrator.say(id + " sees " + now.size() + " online" + (now.equals(online) ? " again" : "") + ": "
            + String.join(", ", now));
      }
      online = now;
      syncedSinceJoin = true;
    }));
    lobby.on("broadcasted", message -> changed(() -> {
      broadcastsReceived.incrementAndGet();
      narrator.say(id + " received \"" + message.payload().path("body").asText() + "\" from "
          + message.payload().path("from").asText());
    }));
    lobby.onError(error -> changed(() -> {
      if (error.fromServer()) {
        crashes.incrementAndGet();
        narrator.say(id + "'s channel crashed on the server (" + error.reason() + "); it rejoins by itself");
      }
    }));
  }

  /** Connects. */
  void connect() {
    socket.connect();
  }

  /** Joins the lobby; the channel rejoins by itself after every crash or reconnect, on the default policies. */
  void join() {
    lobby.join()
        .receive("ok", reply -> changed(() -> {
          syncedSinceJoin = false;
          narrator.say(joins.incrementAndGet() == 1 ? id + " joined " + LOBBY : id + " rejoined " + LOBBY);
        }))
        .receive("error", reply -> changed(() -> narrator.say(id + "'s join was refused: " + reply.response())))
        .receive("failed", reply -> changed(() -> narrator.say(id + "'s join was not sent: "
            + reply.failure().orElseThrow().getMessage())));
  }

  /** Pushes to the lobby. */
  Push push(String event, Object payload, Duration timeout) {
    return lobby.push(event, payload, timeout);
  }

  String id() {
    return id;
  }

  int opens() {
    return opens.get();
  }

  int drops() {
    return drops.get();
  }

  int failedAttempts() {
    return failedAttempts.get();
  }

  int joins() {
    return joins.get();
  }

  /** Channel crashes on the server ({@code phx_error}), not counting errors from lost connections. */
  int crashes() {
    return crashes.get();
  }

  int broadcastsReceived() {
    return broadcastsReceived.get();
  }

  List<String> online() {
    return online;
  }

  /** Whether Presence has synced since the latest join: the online list is current, not the one before a drop. */
  boolean syncedSinceJoin() {
    return syncedSinceJoin;
  }

  boolean connected() {
    return connected;
  }

  /** Leaves the lobby and closes the socket. */
  @Override
  public void close() {
    socket.close();
  }

  private void changed(Runnable change) {
    change.run();
    conditions.signal();
  }
}
