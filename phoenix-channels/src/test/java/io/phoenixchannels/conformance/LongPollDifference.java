package io.phoenixchannels.conformance;

/**
 * Where this client's long-poll transport does not do what phoenix.js did in a long-poll trace, and what the replay
 * asserts instead.
 */
enum LongPollDifference {
  /**
   * The brief and Phoenix's own code: the server reads {@code X-Phoenix-AuthToken} only on the GET that opens the
   * session, so this client sends the secret there only; phoenix.js 1.8 repeats it on every poll. The replay
   * requires the header, equal to the trace's, on the opening GET and its absence on the others.
   */
  AUTH_TOKEN_ONLY_ON_THE_OPENING_GET,

  /**
   * The session token travels as the {@code token} query parameter, as phoenix.js sends it (and Phoenix 1.7 reads
   * it), and also in {@code X-Phoenix-Longpoll-Token}, which Phoenix 1.8 prefers; phoenix.js sends no header. The
   * replay requires the header to equal the query's token.
   */
  SESSION_TOKEN_ALSO_IN_A_HEADER,

  /**
   * phoenix.js 1.7 sets {@code Content-Type: application/json} on its body-less GETs; this client sends {@code
   * Accept: application/json}, as phoenix.js 1.8 does. Not compared on 1.7 GETs.
   */
  NO_CONTENT_TYPE_ON_A_BODYLESS_GET,

  /**
   * phoenix.js 1.7 closes its already-closed long-poll object again when it tears it down (before each reconnect,
   * and when the script disconnects a socket that is waiting to reconnect), and reports each as one more {@code
   * socket.onClose} (without a code before a reconnect, with the script's 1000 "bye" at the end). This client
   * reports one close per connection; the replay requires none for these.
   */
  NO_SECOND_CLOSE_FOR_A_CLOSED_CONNECTION,

  /**
   * DESIGN.md: phoenix.js closes a channel as soon as it sends phx_leave; this client on the server's ok. The replay
   * requires the close and the leave's ok after the poll that delivers the server's reply.
   */
  LEAVE_CLOSES_ON_THE_SERVERS_OK,

  /**
   * Issue 14: this client leaves every joined channel in one POST before an intentional disconnect, so the server
   * ends them at once (phoenix.js only aborts its requests: the server ends the session, and Presence sees the user
   * leave, a window or two later). The replay requires that POST to hold a {@code phx_leave} for each joined topic,
   * and answers it.
   */
  LEAVES_BEFORE_A_DISCONNECT
}
