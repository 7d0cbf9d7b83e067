package io.phoenixchannels;

/** The state of a socket's connection, as {@link PhoenixSocket#state()} reports it. */
public enum SocketState {
  /** A transport is being established. */
  CONNECTING,
  /** The transport is open: messages flow. */
  OPEN,
  /** The transport is closing at the user's request. */
  CLOSING,
  /** No transport is open (never connected, disconnected, or waiting to reconnect). */
  CLOSED
}
