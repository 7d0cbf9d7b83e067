package io.phoenixchannels.conformance;

import java.time.Duration;
import java.util.Map;

/**
 * The socket options a trace's scenario script gave phoenix.js, where they were not phoenix.js's defaults. The
 * traces do not record options; each value here is read off the trace's timing, as the comment says, and the
 * replay checks it: a heartbeat or a rejoin that comes too early is a frame phoenix.js did not send, one that
 * comes too late is a frame missing when the trace shows it, and a reconnect off the beat changes the number of
 * connections a {@code meta connect} line expects. Every other trace runs on phoenix.js's defaults, which are this
 * client's defaults too (heartbeat 30 s, rejoin 1/2/5/10 s, reconnect 10, 50, ... ms, timeout 10 s); none of those
 * traces lasts long enough for a default heartbeat.
 *
 * @param heartbeatInterval the heartbeat interval, or {@code null} for the default
 * @param rejoinDelay a constant rejoin delay, or {@code null} for the default steps
 * @param reconnectDelay a constant reconnect delay, or {@code null} for the default steps
 */
record TraceSettings(Duration heartbeatInterval, Duration rejoinDelay, Duration reconnectDelay) {
  static final TraceSettings DEFAULTS = new TraceSettings(null, null, null);

  private static final Map<String, TraceSettings> BY_TRACE = Map.of(
      // The first heartbeat goes out 400 ms after the open (2.8 -> 403.2 ms).
      "v1_join_push", new TraceSettings(Duration.ofMillis(400), null, null),
      // Heartbeats 300 ms after the open and after each reply (303.1, 604.2, 905.6 ms).
      "v2_heartbeat", new TraceSettings(Duration.ofMillis(300), null, null),
      // The refused join is retried 400 ms after each error reply (3.1 -> 404.2, 405.0 -> 805.3 ms).
      "v2_join_error", new TraceSettings(null, Duration.ofMillis(400), null),
      // The crashed channel rejoins 200 ms after phx_error (5.0 -> 205.1 ms).
      "v2_channel_crash_and_rejoin", new TraceSettings(null, Duration.ofMillis(200), null),
      // Every refused connect is retried 250 ms after its close 1006 (6.0 -> 257.5, 259.2 -> 510.4 ms, ...).
      "v2_socket_rejected", new TraceSettings(null, null, Duration.ofMillis(250)),
      "v2_auth_token_rejected", new TraceSettings(null, null, Duration.ofMillis(250)));

  static TraceSettings of(String trace) {
    return BY_TRACE.getOrDefault(trace, DEFAULTS);
  }
}
