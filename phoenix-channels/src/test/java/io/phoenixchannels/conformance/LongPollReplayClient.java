package io.phoenixchannels.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.transport.LongPollTransport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One phoenix.js socket of a long-poll trace, played by this library's socket over the real long-poll transport:
 * the scenario script's actions (join, push, leave, disconnect) and a ledger of what the socket, its channels and its
 * pushes reported, in the vocabulary of the trace's notes. A trace whose harness starts several sockets one after
 * the other ({@code PART} notes) has one of these per part.
 */
final class LongPollReplayClient {
  private final PhoenixSocket socket;
  private final ReportLedger ledger;
  private final RefMap refs = new RefMap();
  private final ScriptedChannels script;
  private final Set<String> left = new HashSet<>();

  /**
   * Builds the socket phoenix.js was given, from its first request.
   *
   * @param endpoint the socket endpoint on the scripted server
   * @param params the connect params of the first request's query
   * @param reconnectDelay the constant reconnect delay the script set, or {@code null} for the default steps
   */
  LongPollReplayClient(String endpoint, Map<String, String> params, String vsn, String authToken,
      Duration reconnectDelay, ManualEventLoop loop, HttpClient http, ScriptCallbacks callbacks) {
    this.ledger = new ReportLedger("A", loop::nanoTime);
    PhoenixSocket.Builder builder = PhoenixSocket.builder(endpoint)
        .params(params)
        .eventLoop(loop)
        .transport(LongPollTransport.factory(http));
    if (vsn != null) {
      builder.vsn(vsn);
    }
    if (authToken != null) {
      builder.authToken(authToken);
    }
    if (reconnectDelay != null) {
      builder.reconnectPolicy(ReconnectPolicy.builder().delays(reconnectDelay).build());
    }
    socket = builder.build();
    script = new ScriptedChannels("A", socket, ledger, callbacks);
  }

  PhoenixSocket socket() {
    return socket;
  }

  ReportLedger ledger() {
    return ledger;
  }

  RefMap refs() {
    return refs;
  }

  void connect() {
    socket.connect();
  }

  void disconnect(int code, String reason) {
    socket.disconnect(code, reason);
  }

  /** Creates the channel and joins it; its receivers report every attempt's outcome, as phoenix.js's do. */
  void join(String topic, JsonNode params) {
    script.join(topic, params, channel -> { });
  }

  void push(String topic, String event, JsonNode payload, Duration timeout) {
    script.push(topic, event, payload, timeout);
  }

  void leave(String topic) {
    left.add(topic);
    script.leave(topic);
  }

  /** Tells whether the script has a channel for the topic that is not closed: a phx_join for it is a rejoin. */
  boolean hasOpenChannel(String topic) {
    return script.hasOpenChannel(topic);
  }

  /** The topics whose channel is joined or joining. */
  Set<String> joinedTopics() {
    return script.joinedTopics();
  }

  /** Tells whether the script has left the topic already. */
  boolean hasLeft(String topic) {
    return left.contains(topic);
  }
}
