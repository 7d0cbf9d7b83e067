package io.phoenixchannels;

/**
 * Hears metas leave a presence: a device of a key went away, or the key's last one did, or a meta was replaced by
 * an update (Phoenix sends an update as a leave of the old meta and a join of the new one).
 *
 * <p>Registered with {@link PhoenixPresence#onLeave(PresenceLeaveListener)}, it runs on the socket's callback
 * executor, never at the same time as another callback of that socket. Given to the static
 * {@link PhoenixPresence#syncState} or {@link PhoenixPresence#syncDiff}, it runs on the caller's thread.
 */
@FunctionalInterface
public interface PresenceLeaveListener {
  /**
   * Called once per key whose metas changed by leaving.
   *
   * @param key the presence key
   * @param current the presence as it is after the leave; its metas are empty when the key left altogether
   *     (and the key is then gone from the list)
   * @param left the same key with only the metas that left
   */
  void left(String key, Presence current, Presence left);
}
