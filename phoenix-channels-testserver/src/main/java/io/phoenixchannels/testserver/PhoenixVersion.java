package io.phoenixchannels.testserver;

/**
 * The Phoenix release whose behaviour the test server reproduces where releases differ (see "What Phoenix 1.8
 * changed" in {@code conformance/README.md}). Everything else — frame layouts, replies, heartbeats, Presence,
 * {@code phx_close} ordering, unmatched topics — is the same in both.
 */
public enum PhoenixVersion {
  /**
   * Phoenix 1.7: disconnect by socket id closes with 1000; {@code phx_error} carries {@code {}}; a push with a stale
   * join_ref is still handled; {@code phx_leave} with a null join_ref is ignored; a non-string {@code vsn} gets HTTP
   * 500; subprotocols and auth tokens are ignored (no subprotocol is selected); the long-poll token header is
   * ignored; frames up to 8,000,000 bytes.
   */
  PHOENIX_1_7(1000, 8_000_000),

  /**
   * Phoenix 1.8, the default: disconnect by socket id closes with 1001; {@code phx_error} carries
   * {@code {"reason":"channel_crash"}}; a push with a stale join_ref is dropped without a reply; {@code phx_leave}
   * with a null join_ref leaves; auth tokens in {@code Sec-WebSocket-Protocol} and {@code X-Phoenix-AuthToken},
   * as a socket mounted with {@code auth_token: true}: a WebSocket that offers other subprotocols must offer {@code
   * phoenix}, which is selected, or gets HTTP 403; long-poll responses carry {@code cache-control: no-store}; frames
   * up to 10,000,000 bytes.
   */
  PHOENIX_1_8(1001, 10_000_000);

  private final int disconnectCloseCode;
  private final int defaultMaxFrameBytes;

  PhoenixVersion(int disconnectCloseCode, int defaultMaxFrameBytes) {
    this.disconnectCloseCode = disconnectCloseCode;
    this.defaultMaxFrameBytes = defaultMaxFrameBytes;
  }

  /**
   * Returns the WebSocket close code this release sends when it disconnects a socket by its id.
   *
   * @return 1000 for 1.7, 1001 for 1.8
   */
  public int disconnectCloseCode() {
    return disconnectCloseCode;
  }

  /**
   * Returns the largest WebSocket frame this release accepts by default; a larger one closes with 1009.
   *
   * @return the size in bytes
   */
  public int defaultMaxFrameBytes() {
    return defaultMaxFrameBytes;
  }

  /**
   * Tells whether this release is 1.8 or later.
   *
   * @return true for {@link #PHOENIX_1_8}
   */
  public boolean atLeast18() {
    return this == PHOENIX_1_8;
  }
}
