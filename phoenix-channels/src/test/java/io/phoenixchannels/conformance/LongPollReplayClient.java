package io.phoenixchannels.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.ChannelState;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Push;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.Reply;
import io.phoenixchannels.transport.LongPollTransport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One phoenix.js socket of a long-poll trace, played by this library's socket over the real long-poll transport:
 * the scenario script's actions (join, push, leave, disconnect) and a ledger of what the socket, its channels and its
 * pushes reported, in the vocabulary of the trace's notes. A trace whose harness starts several sockets one after
 * the other ({@code PART} notes) has one of these per part.
 */
final class LongPollReplayClient {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final PhoenixSocket socket;
  private final ReportLedger ledger;
  private final RefMap refs = new RefMap();
  private final ScriptCallbacks callbacks;
  private final Map<String, PhoenixChannel> channels = new HashMap<>();
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
    this.callbacks = callbacks;
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
    socket.onOpen(() -> ledger.record(report("socket.onOpen")));
    socket.onClose(close -> ledger.record(report("socket.onClose").put("code", close.code())
        .put("reason", close.reason()).put("requested", close.requested())));
    socket.onError(error -> ledger.record(report("socket.onError")
        .put("status", error instanceof ConnectionException connection ? connection.httpStatus().orElse(-1) : -1)
        .put("error", error.getMessage())));
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
    PhoenixChannel channel = socket.channel(topic, params);
    channels.put(topic, channel);
    channel.onError(error -> ledger.record(report("channel(" + topic + ").onError")
        .put("transport", !error.fromServer()).set("reason", error.payload())));
    channel.onClose(close -> ledger.record(report("channel(" + topic + ").onClose").put("leave", close.requested())
        .put("why", close.reason())));
    for (String event : callbacks.reportedEvents()) {
      channel.on(event, message ->
          ledger.record(report("on(" + event + ")").set("payload", ReplayedClient.asApplicationSees(
              message.payload()))));
    }
    reportOutcomes(channel.join(), "join(" + topic + ")");
  }

  void push(String topic, String event, JsonNode payload, Duration timeout) {
    reportOutcomes(channel(topic).push(event, payload, timeout), "push(" + event + ")");
  }

  void leave(String topic) {
    left.add(topic);
    Push leave = channel(topic).leave();
    if (callbacks.leaveOutcomes()) {
      reportOutcomes(leave, "leave");
    }
  }

  /** Tells whether the script has a channel for the topic that is not closed: a phx_join for it is a rejoin. */
  boolean hasOpenChannel(String topic) {
    PhoenixChannel channel = channels.get(topic);
    return channel != null && channel.state() != ChannelState.CLOSED;
  }

  /** Tells whether the script has left the topic already. */
  boolean hasLeft(String topic) {
    return left.contains(topic);
  }

  private PhoenixChannel channel(String topic) {
    PhoenixChannel channel = channels.get(topic);
    if (channel == null) {
      throw new AssertionError("the script uses " + topic + " before joining it");
    }
    return channel;
  }

  private void reportOutcomes(Push push, String what) {
    for (String status : List.of(Reply.OK, Reply.ERROR, Reply.TIMEOUT)) {
      push.receive(status, reply -> {
        ObjectNode report = report(what + " " + status);
        if (!Reply.TIMEOUT.equals(status)) {
          report.set("resp", ReplayedClient.asApplicationSees(reply.response()));
        }
        ledger.record(report);
      });
    }
  }

  private static ObjectNode report(String msg) {
    return JSON.objectNode().put("msg", msg);
  }
}
