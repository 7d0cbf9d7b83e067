package io.phoenixchannels.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.ChannelState;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Push;
import io.phoenixchannels.Reply;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The scenario script's side of a replayed socket, whatever its transport: it joins, pushes and leaves as the
 * script did, and records what the socket, its channels and its pushes reported, in the vocabulary of the trace's
 * notes.
 */
final class ScriptedChannels {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String label;
  private final PhoenixSocket socket;
  private final ReportLedger ledger;
  private final ScriptCallbacks callbacks;
  private final Map<String, PhoenixChannel> channels = new HashMap<>();

  /**
   * Starts recording the socket's own reports.
   *
   * @param label names the client in assertion messages
   */
  ScriptedChannels(String label, PhoenixSocket socket, ReportLedger ledger, ScriptCallbacks callbacks) {
    this.label = label;
    this.socket = socket;
    this.ledger = ledger;
    this.callbacks = callbacks;
    socket.onOpen(() -> ledger.record(report("socket.onOpen")));
    socket.onClose(close -> ledger.record(report("socket.onClose").put("code", close.code())
        .put("reason", close.reason()).put("requested", close.requested())));
    socket.onError(error -> ledger.record(report("socket.onError")
        .put("status", error instanceof ConnectionException connection ? connection.httpStatus().orElse(-1) : -1)
        .put("error", error.getMessage())));
  }

  /**
   * Creates the channel and joins it; its receivers report every attempt's outcome, as phoenix.js's do.
   *
   * @param moreCallbacks registers what else the client's script listened to, before the join
   */
  PhoenixChannel join(String topic, JsonNode params, Consumer<PhoenixChannel> moreCallbacks) {
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
    moreCallbacks.accept(channel);
    reportOutcomes(channel.join(), "join(" + topic + ")");
    return channel;
  }

  void push(String topic, String event, Object body, Duration timeout) {
    reportOutcomes(channel(topic).push(event, body, timeout), "push(" + event + ")");
  }

  void leave(String topic) {
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

  /** The topics whose channel is joined or joining: the ones a long-poll disconnect leaves first. */
  Set<String> joinedTopics() {
    Set<String> joined = new HashSet<>();
    channels.forEach((topic, channel) -> {
      if (channel.state() == ChannelState.JOINED || channel.state() == ChannelState.JOINING) {
        joined.add(topic);
      }
    });
    return joined;
  }

  static ObjectNode report(String msg) {
    return JSON.objectNode().put("msg", msg);
  }

  private PhoenixChannel channel(String topic) {
    PhoenixChannel channel = channels.get(topic);
    if (channel == null) {
      throw new AssertionError(label + ": the script uses " + topic + " before joining it");
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
}
