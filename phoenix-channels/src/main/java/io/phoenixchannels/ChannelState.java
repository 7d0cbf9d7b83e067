package io.phoenixchannels;

/** The state of a channel, as {@link PhoenixChannel#state()} reports it; the states of phoenix.js. */
public enum ChannelState {
  /** Not joined: never joined, left, or closed by the server. */
  CLOSED,
  /** The join failed, timed out or the channel crashed; a rejoin is scheduled or waits for the socket. */
  ERRORED,
  /** The server accepted the join; pushes are sent at once. */
  JOINED,
  /** A join was sent and its reply is awaited; pushes are buffered. */
  JOINING,
  /** A leave was sent and its reply is awaited. */
  LEAVING
}
