package io.phoenixchannels.testserver;

/** How a client is connected: the two transports of a Phoenix socket endpoint. */
public enum TransportKind {
  /** {@code <path>/websocket}. */
  WEBSOCKET,
  /** {@code <path>/longpoll}: HTTP polls and NDJSON posts. */
  LONGPOLL
}
