package io.phoenixchannels.conformance;

/**
 * Where this client does not do what phoenix.js did in a trace, and the replay asserts what it does instead.
 */
enum Difference {
  /**
   * DESIGN.md: phoenix.js closes a channel (onClose "leave", the leave's "ok") as soon as it has sent phx_leave;
   * this client closes it on the server's ok reply (or the leave's timeout). The replay requires the close and the
   * ok to come after the server's reply, not before.
   */
  LEAVE_CLOSES_ON_THE_SERVERS_OK,

  /**
   * Timing only: phoenix.js 1.8 reports the channels' transport error as soon as the script calls disconnect();
   * this client (like phoenix.js 1.7) when the transport has closed, a moment later. The order of the reports is
   * the same; the replay requires the error by the trace's close line.
   */
  CHANNEL_ERRORS_WHEN_THE_TRANSPORT_HAS_CLOSED,

  /**
   * DESIGN.md: an auth token whose standard Base64 has a '/' cannot be sent by a WebSocket client (it is not legal
   * in Sec-WebSocket-Protocol). phoenix.js's connect() threw, its channel then timed out and sat errored; this
   * client refuses such a literal token when the socket is built, with the cause and the remedy.
   */
  AUTH_TOKEN_WITH_A_SLASH_FAILS_FAST
}
