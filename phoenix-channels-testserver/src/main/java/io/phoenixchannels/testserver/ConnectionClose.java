package io.phoenixchannels.testserver;

/**
 * How a connection ended.
 *
 * @param code the WebSocket close code: the one in the close frame, 1006 when the connection was cut without one;
 *     for long-poll, 1000 when the session timed out or was closed
 * @param reason the close reason, possibly empty
 * @param byServer true when the server closed it (a fault, a bad frame, a disconnect by id, a stop)
 */
public record ConnectionClose(int code, String reason, boolean byServer) {
}
