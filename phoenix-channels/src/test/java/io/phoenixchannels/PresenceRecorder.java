package io.phoenixchannels;

import static io.phoenixchannels.PresenceJson.refs;

import java.util.ArrayList;
import java.util.List;

/**
 * Records what a {@link PhoenixPresence} tells its listeners, one readable line per callback:
 * {@code "join u1 [2] was [1]"}, {@code "leave u1 [1] now [2]"}, {@code "sync [u1, u2]"} (the keys of
 * {@link PhoenixPresence#list()} as the sync listener sees them).
 */
final class PresenceRecorder {
  private final List<String> lines = new ArrayList<>();

  PresenceRecorder(PhoenixPresence presence) {
    presence.onJoin((key, current, joined) -> lines.add("join " + key + " " + refs(joined) + " was "
        + refs(current)));
    presence.onLeave((key, current, left) -> lines.add("leave " + key + " " + refs(left) + " now "
        + refs(current)));
    presence.onSync(() -> lines.add("sync " + presence.list().stream().map(Presence::key).toList()));
  }

  /** The lines recorded since the last call, which forgets them. */
  List<String> take() {
    List<String> taken = List.copyOf(lines);
    lines.clear();
    return taken;
  }
}
