package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.ChannelState;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Presence;
import io.phoenixchannels.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A socket with the channels a user joined through {@code phx}, each with its Presence, everything reported to a
 * printer as it happens. Used by {@code connect} (one command line at a time) and {@code listen}. Its methods may
 * be called from any thread.
 */
final class Session implements AutoCloseable {
  /** How long closing waits for the server to acknowledge the leaves, in all. */
  private static final Duration LEAVE_WAIT = Duration.ofSeconds(2);

  private final PhoenixSocket socket;
  private final EventPrinter printer;
  private final Map<String, Joined> channels = new ConcurrentHashMap<>();
  private final Set<String> topicsSeen = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** How long {@code presence} waits for a channel's first {@code presence_state}, if it has none yet. */
  private static final Duration FIRST_SYNC_WAIT = Duration.ofSeconds(1);

  private record Joined(PhoenixChannel channel, PhoenixPresence presence, CompletableFuture<Void> firstSync) {}

  Session(PhoenixSocket socket, EventPrinter printer) {
    this.socket = socket;
    this.printer = printer;
    SessionEvents.watch(socket, printer);
  }

  /** Connects, waiting for the first connection; see {@link FirstConnection}. */
  void connect(Duration deadline) throws InterruptedException {
    FirstConnection.open(socket, deadline);
  }

  /**
   * Joins a topic.
   *
   * @param params the join params, or {@code null} for none
   * @return the first outcome of the join: ok, error (refused) or timeout; a refused join keeps retrying on the
   *     rejoin backoff, reported as it goes
   * @throws IllegalArgumentException if the topic is joined already
   */
  CompletableFuture<Reply> join(String topic, JsonNode params, Duration timeout) {
    Joined existing = channels.get(topic);
    if (existing != null) {
      throw new IllegalArgumentException("already joined " + topic + " (leave it first)");
    }
    PhoenixChannel channel = socket.channel(topic, params == null ? Map.of() : params);
    PhoenixPresence presence = new PhoenixPresence(channel);
    Joined joined = new Joined(channel, presence, new CompletableFuture<>());
    presence.onSync(() -> joined.firstSync().complete(null));
    channels.put(topic, joined);
    topicsSeen.add(topic);
    channel.onClose(close -> channels.remove(topic, joined));
    SessionEvents.watch(channel, presence, printer);
    return SessionEvents.outcome(channel.join(timeout), printer);
  }

  /**
   * Pushes an event to a joined topic.
   *
   * @return its outcome: the reply, or a timeout
   * @throws IllegalArgumentException if the topic is not joined
   */
  CompletableFuture<Reply> push(String topic, String event, JsonNode payload, Duration timeout) {
    return SessionEvents.outcome(joined(topic).channel().push(event, payload, timeout), printer);
  }

  /**
   * Leaves a joined topic.
   *
   * @throws IllegalArgumentException if the topic is not joined
   */
  CompletableFuture<Reply> leave(String topic) {
    return SessionEvents.outcome(joined(topic).channel().leave(), printer);
  }

  /**
   * Returns who is present on a joined topic; right after the join, it waits (up to a second) for the server's
   * first {@code presence_state}, which follows the join's reply.
   *
   * @throws IllegalArgumentException if the topic is not joined
   */
  CliEvent.PresenceList presence(String topic) throws InterruptedException {
    Joined joined = joined(topic);
    try {
      joined.firstSync().get(FIRST_SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // A channel without Presence never syncs: its list is empty.
    }
    ObjectNode presences = Json.MAPPER.createObjectNode();
    for (Presence present : joined.presence().list()) {
      presences.set(present.key(), Json.MAPPER.valueToTree(present.metas()));
    }
    return new CliEvent.PresenceList(topic, "list", presences);
  }

  /** The socket's state and each channel's. */
  CliEvent.Status status() {
    Map<String, String> states = new LinkedHashMap<>();
    new TreeSet<>(channels.keySet()).forEach(topic -> states.put(topic,
        channels.get(topic).channel().state().name().toLowerCase(Locale.ROOT)));
    return new CliEvent.Status(socket.endpoint().toString(), socket.state().name().toLowerCase(Locale.ROOT),
        states);
  }

  /** The channel of a topic this session joined, while it is not closed. */
  Optional<PhoenixChannel> channel(String topic) {
    return Optional.ofNullable(channels.get(topic)).map(Joined::channel);
  }

  /** Every topic joined in this session, open or not: for completion. */
  Set<String> topicsSeen() {
    return Set.copyOf(topicsSeen);
  }

  /** The topics joined now. */
  Set<String> topics() {
    return Set.copyOf(channels.keySet());
  }

  /**
   * Leaves every channel (waiting briefly for the server to acknowledge), then closes the socket. Runs once: from
   * the command's end, or from its shutdown hook on Ctrl-C.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<CompletableFuture<?>> leaves = new ArrayList<>();
    for (Joined joined : channels.values()) {
      ChannelState state = joined.channel().state();
      if (state != ChannelState.CLOSED && state != ChannelState.LEAVING && socket.isConnected()) {
        leaves.add(joined.channel().leave(LEAVE_WAIT).toFuture().exceptionally(error -> null));
      }
    }
    try {
      CompletableFuture.allOf(leaves.toArray(CompletableFuture[]::new))
          .get(LEAVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The socket's close leaves them anyway, without waiting.
    }
    socket.close();
  }

  private Joined joined(String topic) {
    Joined joined = channels.get(topic);
    if (joined == null) {
      throw new IllegalArgumentException("not joined to " + topic + " (join it first)");
    }
    return joined;
  }
}
