package io.phoenixchannels;

import static io.phoenixchannels.PresenceJson.refs;

import java.util.ArrayList;
import java.util.List;

/**
 * Records what a {@link PhoenixPresence} tells its listeners, one readable line per callback:
 * {@code "join u1 [2] was [1]"}, {@code "leave u1 [1] now [2]"}, {@code "sync [u1, u2]"} (the keys of
 * {@link PhoenixPresence#list()} as the sync listener sees them). With {@link #countingMetas} the metas are
 * counted instead of named by {@code phx_ref}, for recordings whose refs differ from run to run:
 * {@code "join u1 +1 (was 1)"}, {@code "leave u1 -1 (now 1)"}.
 */
final class PresenceRecorder {
  private final List<String> lines = new ArrayList<>();

  PresenceRecorder(PhoenixPresence presence) {
    presence.onJoin((key, current, joined) -> lines.add("join " + key + " " + refs(joined) + " was "
        + refs(current)));
    presence.onLeave((key, current, left) -> lines.add("leave " + key + " " + refs(left) + " now "
        + refs(current)));
    presence.onSync(() -> lines.add(syncLine(presence)));
  }

  private PresenceRecorder() {}

  static PresenceRecorder countingMetas(PhoenixPresence presence) {
    PresenceRecorder recorder = new PresenceRecorder();
    presence.onJoin((key, current, joined) -> recorder.lines.add("join " + key + " +" + joined.metas().size()
        + " (was " + current.metas().size() + ")"));
    presence.onLeave((key, current, left) -> recorder.lines.add("leave " + key + " -" + left.metas().size()
        + " (now " + current.metas().size() + ")"));
    presence.onSync(() -> recorder.lines.add(syncLine(presence)));
    return recorder;
  }

  private static String syncLine(PhoenixPresence presence) {
    return "sync " + presence.list().stream().map(Presence::key).toList();
  }

  /** The lines recorded since the last call, which forgets them. */
  List<String> take() {
    List<String> taken = List.copyOf(lines);
    lines.clear();
    return taken;
  }
}
