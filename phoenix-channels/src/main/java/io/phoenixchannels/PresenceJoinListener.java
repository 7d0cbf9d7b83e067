package io.phoenixchannels;

/**
 * Hears metas join a presence: a key seen for the first time, or another device of a key already present, or an
 * updated meta (Phoenix sends an update as a leave of the old meta and a join of the new one).
 *
 * <p>Registered with {@link PhoenixPresence#onJoin(PresenceJoinListener)}, it runs on the socket's callback
 * executor, never at the same time as another callback of that socket. Given to the static
 * {@link PhoenixPresence#syncState} or {@link PhoenixPresence#syncDiff}, it runs on the caller's thread.
 */
@FunctionalInterface
public interface PresenceJoinListener {
  /**
   * Called once per key whose metas changed by joining.
   *
   * @param key the presence key
   * @param current the presence as it was before the join; its metas are empty when the key is new
   * @param joined the same key with only the metas that joined
   */
  void joined(String key, Presence current, Presence joined);
}
