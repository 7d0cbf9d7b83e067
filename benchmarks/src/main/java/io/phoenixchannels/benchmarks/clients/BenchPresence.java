package io.phoenixchannels.benchmarks.clients;

/** The presence list a client keeps for a channel joined with {@link BenchSocket#joinWithPresence}. */
public interface BenchPresence {

  /**
   * Returns how many keys the list holds now, read as a user reads the list.
   *
   * @return the keys of the list
   */
  int listSize();
}
