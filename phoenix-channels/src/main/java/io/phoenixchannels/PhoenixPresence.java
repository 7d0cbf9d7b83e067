package io.phoenixchannels;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.phoenixchannels.internal.ListenerList;
import io.phoenixchannels.internal.PresenceMap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Phoenix Presence on the client: who is in a channel, kept in sync from the server's {@code presence_state} and
 * {@code presence_diff} messages, with callbacks for joins, leaves and every sync.
 *
 * <pre>{@code
 * PhoenixChannel room = socket.channel("room:lobby", Map.of("name", "Ada"));
 * PhoenixPresence presence = new PhoenixPresence(room);
 * presence.onJoin((key, current, joined) -> {
 *   if (current.metas().isEmpty()) System.out.println(key + " arrived");
 * });
 * presence.onLeave((key, current, left) -> {
 *   if (current.metas().isEmpty()) System.out.println(key + " left");
 * });
 * presence.onSync(() -> render(presence.list()));
 * room.join();
 * }</pre>
 *
 * <p>Create the presence before joining the channel, so that it sees the first {@code presence_state}.
 *
 * <h2>Syncing</h2>
 * A {@code presence_state} replaces the list. A {@code presence_diff} is applied joins first, then leaves; metas
 * are matched by their {@code phx_ref}, and a key goes away when its last meta leaves. Diffs that arrive before
 * the {@code presence_state} of the channel's current join (Phoenix sends the diff of your own join before the
 * state) are held and applied right after it; diffs held for an earlier join of the channel are dropped, as they
 * may describe changes that a later one undid while this client was away. A state and the diffs held for it count
 * as one change: the listeners hear only what differs from the list held before (after a reconnect, only who
 * came and went meanwhile), then {@link #onSync(Runnable)} fires once. Each diff applied after the state is one
 * change of its own.
 *
 * <h2>Disconnects</h2>
 * While the channel is not joined (the connection dropped, the channel crashed and rejoins, or it was left), the
 * last list stays readable and {@link #isStale()} says it may be out of date; nobody is reported as leaving. The
 * next {@code presence_state} reconciles the list.
 *
 * <h2>Cost</h2>
 * A diff costs in proportion to what it changes, not to the size of the list: the list is a persistent map that
 * each change replaces by a new version sharing everything unchanged, so a room of hundreds costs each member
 * little per join or leave. {@link #list()} puts a version in order once, the first time someone asks for it.
 *
 * <h2>Threads</h2>
 * The presence reads the channel's messages on the socket's event loop, as the server sent them (before any
 * {@linkplain PhoenixChannel#messageHook message hook}), and keeps its state there. Its listeners run on the
 * socket's callback executor, in order and never at the same time as another callback of the socket. The
 * queries ({@link #list()}, {@link #get(String)}, {@link #metas(String, Class)}) may be called from any thread:
 * they read the list as of the latest callbacks, so inside an {@code onSync} listener {@link #list()} is exactly
 * the list that sync produced. Everything handed out is an immutable snapshot.
 */
public final class PhoenixPresence {
  /** The event Phoenix sends the full presence list with. */
  public static final String STATE_EVENT = "presence_state";
  /** The event Phoenix sends presence changes with. */
  public static final String DIFF_EVENT = "presence_diff";

  private final PhoenixChannel channel;
  private final String stateEvent;
  private final String diffEvent;
  private final ListenerList<Joined> joinListeners = new ListenerList<>();
  private final ListenerList<Left> leaveListeners = new ListenerList<>();
  private final ListenerList<PresenceMap> syncListeners = new ListenerList<>();
  /** The list as the callbacks last saw it; persistent, so handing it over copies nothing. */
  private volatile PresenceMap published = PresenceMap.EMPTY;
  private volatile String syncedJoinRef;
  private volatile boolean everSynced;

  // Event-loop state.
  private PresenceMap state = PresenceMap.EMPTY;
  private final List<HeldDiff> heldDiffs = new ArrayList<>();

  /**
   * Tracks the presence of a channel from Phoenix's {@code presence_state} and {@code presence_diff} events.
   *
   * @param channel the channel, best not joined yet
   */
  public PhoenixPresence(PhoenixChannel channel) {
    this(channel, STATE_EVENT, DIFF_EVENT);
  }

  /**
   * Tracks the presence of a channel from events with other names, for a server that pushes its presence under
   * its own event names.
   *
   * @param channel the channel, best not joined yet
   * @param stateEvent the event that carries the full list, like {@code presence_state}
   * @param diffEvent the event that carries changes, like {@code presence_diff}
   * @throws IllegalArgumentException if the two events are the same
   */
  public PhoenixPresence(PhoenixChannel channel, String stateEvent, String diffEvent) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.stateEvent = Objects.requireNonNull(stateEvent, "stateEvent");
    this.diffEvent = Objects.requireNonNull(diffEvent, "diffEvent");
    if (stateEvent.equals(diffEvent)) {
      throw new IllegalArgumentException("the state and diff events must differ, both are '" + stateEvent + "'");
    }
    channel.addInternalListener(this::received);
  }

  // ---- listeners ----

  /**
   * Registers a callback for metas joining: new keys, new devices of a key, updated metas.
   *
   * @param listener runs on the socket's callback executor, before the {@code onSync} of the same change
   * @return a subscription that removes it
   */
  public Subscription onJoin(PresenceJoinListener listener) {
    Objects.requireNonNull(listener, "listener");
    return joinListeners.add(change -> listener.joined(change.key(), change.current(), change.joined()));
  }

  /**
   * Registers a callback for metas leaving: a device of a key, a key's last device, replaced metas.
   *
   * @param listener runs on the socket's callback executor, before the {@code onSync} of the same change
   * @return a subscription that removes it
   */
  public Subscription onLeave(PresenceLeaveListener listener) {
    Objects.requireNonNull(listener, "listener");
    return leaveListeners.add(change -> listener.left(change.key(), change.current(), change.left()));
  }

  /**
   * Registers a callback for every sync: after each {@code presence_state} (with the held diffs applied) and
   * after each {@code presence_diff} applied to it, once the join and leave listeners have run.
   *
   * @param listener runs on the socket's callback executor; {@link #list()} there gives the synced list
   * @return a subscription that removes it
   */
  public Subscription onSync(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    return syncListeners.add(synced -> listener.run());
  }

  // ---- queries, from any thread ----

  /**
   * Returns the channel whose presence this is.
   *
   * @return the channel
   */
  public PhoenixChannel channel() {
    return channel;
  }

  /**
   * Returns every presence, in the order the server listed them (keys that joined later come last).
   *
   * @return an immutable snapshot, empty before the first sync
   */
  public List<Presence> list() {
    return published.list();
  }

  /**
   * Returns what a chooser makes of every presence, in the order of {@link #list()}; phoenix.js's
   * {@code list(by)}.
   *
   * @param chooser maps a presence to what the list should hold, for example its first meta
   * @param <T> the element type
   * @return an unmodifiable list of the chooser's results
   */
  public <T> List<T> list(Function<? super Presence, ? extends T> chooser) {
    Objects.requireNonNull(chooser, "chooser");
    List<Presence> presences = published.list();
    List<T> chosen = new ArrayList<>(presences.size());
    for (Presence presence : presences) {
      chosen.add(chooser.apply(presence));
    }
    return Collections.unmodifiableList(chosen);
  }

  /**
   * Returns the presence of one key.
   *
   * @param key the presence key
   * @return the presence, or empty when the key is not present
   */
  public Optional<Presence> get(String key) {
    return Optional.ofNullable(published.get(key));
  }

  /**
   * Returns the metas of one key as objects of your type, converted by the socket's {@code ObjectMapper}. Fields
   * the type does not declare, such as {@code phx_ref}, are ignored; declare them (for example with
   * {@code @JsonProperty("phx_ref")}) to get them.
   *
   * @param key the presence key
   * @param type the meta type, for example a record
   * @param <T> the meta type
   * @return the converted metas in their order; empty when the key is not present
   * @throws IllegalArgumentException if a meta does not fit the type
   */
  public <T> List<T> metas(String key, Class<T> type) {
    Objects.requireNonNull(type, "type");
    Presence presence = published.get(key);
    if (presence == null) {
      return List.of();
    }
    ObjectReader reader = channel.socket().mapper().readerFor(type)
        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    List<T> converted = new ArrayList<>(presence.metas().size());
    for (JsonNode meta : presence.metas()) {
      try {
        converted.add(reader.readValue(meta));
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("a meta of '" + key + "' cannot be read as " + type.getName() + ": "
            + e.getMessage(), e);
      }
    }
    return Collections.unmodifiableList(converted);
  }

  /**
   * Tells whether the presence waits for the {@code presence_state} of the channel's current join: before the
   * first one, and from each rejoin until its state arrives. Diffs arriving meanwhile are held.
   *
   * @return true while waiting
   */
  public boolean inPendingSyncState() {
    String synced = syncedJoinRef;
    return synced == null || !synced.equals(channel.joinRef());
  }

  /**
   * Tells whether {@link #list()} shows a list that is no longer kept up to date: the channel has had a state
   * before, but is not joined now (disconnected, crashed, rejoining, left) or has rejoined and waits for its new
   * state. The list is still the last one received; the next {@code presence_state} reconciles it.
   *
   * @return true while the list may be out of date
   */
  public boolean isStale() {
    return everSynced && (inPendingSyncState() || channel.state() != ChannelState.JOINED);
  }

  @Override
  public String toString() {
    return "PhoenixPresence{" + channel.topic() + ", " + published.size() + " keys"
        + (isStale() ? ", stale" : "") + "}";
  }

  // ---- pure functions ----

  /**
   * Replaces a presence list by a newer full list, telling the listeners what changed: metas in the new list
   * that the old one lacks (or holds with other content) joined; metas of the old list whose {@code phx_ref} is
   * not in the new one left. Joins are reported first. Neither map is changed.
   *
   * @param state the list held so far, by key
   * @param newState the new full list, by key, as from {@link #parseState(JsonNode)}
   * @param onJoin hears each key whose metas joined, or {@code null}
   * @param onLeave hears each key whose metas left, or {@code null}
   * @return an immutable list equal to {@code newState}, in its order
   */
  public static Map<String, Presence> syncState(Map<String, Presence> state, Map<String, Presence> newState,
      PresenceJoinListener onJoin, PresenceLeaveListener onLeave) {
    Objects.requireNonNull(state, "state");
    Map<String, Presence> result = PresenceDiff.orderedCopy(newState, "newState");
    PresenceSync.state(PresenceMap.copyOf(state), PresenceMap.copyOf(result), onJoin, onLeave);
    return result;
  }

  /**
   * Applies a diff to a presence list: first the joins (a meta whose {@code phx_ref} is already present replaces
   * it, a new one is appended), then the leaves (metas removed by {@code phx_ref}; a key whose last meta leaves is
   * removed). Listeners hear only real changes: a join of a meta already present as it is, or a leave of a meta
   * not present, is silent. The given map is not changed.
   *
   * @param state the list held so far, by key
   * @param diff the diff, as from {@link #parseDiff(JsonNode)}
   * @param onJoin hears each key whose metas joined, or {@code null}
   * @param onLeave hears each key whose metas left, or {@code null}
   * @return the new immutable list; keys keep their place, new keys come last
   */
  public static Map<String, Presence> syncDiff(Map<String, Presence> state, PresenceDiff diff,
      PresenceJoinListener onJoin, PresenceLeaveListener onLeave) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(diff, "diff");
    return PresenceSync.diff(PresenceMap.copyOf(state), diff, onJoin, onLeave).toMap();
  }

  /**
   * Returns every presence of a list, in its order.
   *
   * @param state the list, by key
   * @return an immutable list of the presences
   */
  public static List<Presence> list(Map<String, Presence> state) {
    return List.copyOf(state.values());
  }

  /**
   * Returns what a chooser makes of every presence of a list, in its order.
   *
   * @param state the list, by key
   * @param chooser maps a presence to what the result should hold
   * @param <T> the element type
   * @return an unmodifiable list of the chooser's results (which may include {@code null})
   */
  public static <T> List<T> list(Map<String, Presence> state, Function<? super Presence, ? extends T> chooser) {
    Objects.requireNonNull(chooser, "chooser");
    List<T> chosen = new ArrayList<>(state.size());
    for (Presence presence : state.values()) {
      chosen.add(chooser.apply(presence));
    }
    return Collections.unmodifiableList(chosen);
  }

  /**
   * Reads a {@code presence_state} payload: {@code {key: {"metas": [...], ...}, ...}}.
   *
   * @param payload the payload
   * @return the presences by key, immutable, in the payload's order
   * @throws IllegalArgumentException if the payload does not have that shape
   */
  public static Map<String, Presence> parseState(JsonNode payload) {
    return PresencePayloads.state(Objects.requireNonNull(payload, "payload"));
  }

  /**
   * Reads a {@code presence_diff} payload: {@code {"joins": {...}, "leaves": {...}}}.
   *
   * @param payload the payload
   * @return the diff
   * @throws IllegalArgumentException if the payload does not have that shape
   */
  public static PresenceDiff parseDiff(JsonNode payload) {
    return PresencePayloads.diff(Objects.requireNonNull(payload, "payload"));
  }

  // ---- event loop ----

  private void received(Message message) {
    if (message.event().equals(stateEvent)) {
      stateReceived(message);
    } else if (message.event().equals(diffEvent)) {
      diffReceived(message);
    }
  }

  private void stateReceived(Message message) {
    PresenceMap newState;
    try {
      newState = PresencePayloads.stateMap(message.payload());
    } catch (IllegalArgumentException e) {
      reportMalformed(message, e);
      return;
    }
    // The channel drops messages of older joins, so a state that gets here belongs to the current join.
    String joinRef = channel.joinRef();
    PresenceMap synced = newState;
    for (HeldDiff held : heldDiffs) {
      if (Objects.equals(held.joinRef(), joinRef)) {
        synced = PresenceSync.diff(synced, held.diff(), null, null);
      }
    }
    heldDiffs.clear();
    // Held diffs may repeat what the state already holds; only the net change since the last list is news.
    Round round = new Round();
    state = PresenceSync.state(state, synced, round, round);
    syncedJoinRef = joinRef;
    everSynced = true;
    publish(round);
  }

  private void diffReceived(Message message) {
    PresenceDiff diff;
    try {
      diff = parseDiff(message.payload());
    } catch (IllegalArgumentException e) {
      reportMalformed(message, e);
      return;
    }
    String joinRef = channel.joinRef();
    if (syncedJoinRef == null || !syncedJoinRef.equals(joinRef)) {
      // A diff held for an earlier join may describe people who left while this client was away: drop it.
      heldDiffs.removeIf(held -> !Objects.equals(held.joinRef(), joinRef));
      heldDiffs.add(new HeldDiff(joinRef, diff));
      return;
    }
    Round round = new Round();
    state = PresenceSync.diff(state, diff, round, round);
    publish(round);
  }

  private void publish(Round round) {
    PresenceMap snapshot = state;
    List<Change> changes = round.changes;
    PhoenixSocket socket = channel.socket();
    socket.dispatcher().dispatch(() -> {
      published = snapshot;
      for (Change change : changes) {
        if (change instanceof Joined joined) {
          joinListeners.fireNow(socket.dispatcher(), joined);
        } else if (change instanceof Left left) {
          leaveListeners.fireNow(socket.dispatcher(), left);
        }
      }
      syncListeners.fireNow(socket.dispatcher(), snapshot);
    });
  }

  private void reportMalformed(Message message, IllegalArgumentException e) {
    channel.socket().reportError(new ProtocolException("ignoring a malformed '" + message.event() + "' on '"
        + message.topic() + "': " + e.getMessage(), e));
  }

  private record HeldDiff(String joinRef, PresenceDiff diff) {}

  private sealed interface Change permits Joined, Left {}

  private record Joined(String key, Presence current, Presence joined) implements Change {}

  private record Left(String key, Presence current, Presence left) implements Change {}

  /** Collects the changes of one sync, in order, to hand them to the callback executor together. */
  private static final class Round implements PresenceJoinListener, PresenceLeaveListener {
    final List<Change> changes = new ArrayList<>();

    @Override
    public void joined(String key, Presence current, Presence joined) {
      changes.add(new Joined(key, current, joined));
    }

    @Override
    public void left(String key, Presence current, Presence left) {
      changes.add(new Left(key, current, left));
    }
  }
}
