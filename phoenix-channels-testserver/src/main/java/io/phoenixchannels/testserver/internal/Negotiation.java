package io.phoenixchannels.testserver.internal;

import io.phoenixchannels.testserver.ConnectDecision;
import io.phoenixchannels.testserver.ConnectRequest;

/**
 * The outcome of a connect attempt: refused with an HTTP status, or accepted with the serializer and the
 * subprotocol to select.
 *
 * @param httpStatus 0 when accepted, else the status to refuse with (403, 500, or a fault's)
 * @param request what the client presented, or {@code null} when refused before the connect handler ran
 * @param decision the connect handler's decision, or {@code null}
 * @param vsn the serializer, {@code "2.0.0"} or {@code "1.0.0"}, or {@code null}
 * @param subprotocol the WebSocket subprotocol to answer with ({@code "phoenix"}), also on a refusal, or {@code null}
 */
record Negotiation(int httpStatus, ConnectRequest request, ConnectDecision decision, String vsn,
    String subprotocol) {

  static Negotiation refused(int status, String subprotocol) {
    return new Negotiation(status, null, null, null, subprotocol);
  }

  /** Tells whether the connection may go ahead. */
  boolean accepted() {
    return httpStatus == 0;
  }
}
