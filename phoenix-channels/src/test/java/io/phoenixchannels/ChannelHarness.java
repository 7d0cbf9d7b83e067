package io.phoenixchannels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.SilentLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One client socket with one channel over a {@link FakeTransport}, on a {@link ManualEventLoop}, and the server's
 * side of that channel: join replies, server pushes, broadcasts, lost connections. Everything runs on the test
 * thread. Frames are written with Jackson, in the V2 or V1 layout the socket uses.
 */
final class ChannelHarness {
  static final String TOPIC = "room:lobby";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final ManualEventLoop loop = new ManualEventLoop();
  final FakeTransport fake = new FakeTransport();
  final PhoenixSocket socket;
  final PhoenixChannel channel;
  private final boolean v1;

  ChannelHarness() {
    this("2.0.0");
  }

  ChannelHarness(String vsn) {
    this(vsn, builder -> { });
  }

  /**
   * @param vsn the serializer version
   * @param options sets further socket options
   */
  ChannelHarness(String vsn, Consumer<PhoenixSocket.Builder> options) {
    PhoenixSocket.Builder builder = PhoenixSocket.builder("ws://localhost:4000/socket")
        .vsn(vsn)
        .eventLoop(loop)
        .transport(fake)
        .logger(new SilentLogger());
    options.accept(builder);
    socket = builder.build();
    channel = socket.channel(TOPIC, Map.of("name", "Ivy"));
    v1 = vsn.startsWith("1.");
  }

  // ---- client side ----

  /** Joins, connects, opens the transport and accepts the join. */
  ChannelHarness connectAndJoin() {
    channel.join();
    socket.connect();
    fake.last().open();
    replyToJoin();
    return this;
  }

  /** The join ref of the last {@code phx_join} the client sent on the current connection. */
  String lastJoinRef() {
    List<JsonNode> joins = sentWithEvent("phx_join");
    if (joins.isEmpty()) {
      throw new AssertionError("the client sent no phx_join on this connection");
    }
    return field(joins.get(joins.size() - 1), 0, "join_ref");
  }

  // ---- server side ----

  /** Accepts the last join sent: an ok reply to its ref. */
  void replyToJoin() {
    String joinRef = lastJoinRef();
    ObjectNode payload = MAPPER.createObjectNode().put("status", "ok");
    payload.putObject("response").put("joined", TOPIC);
    send(joinRef, joinRef, "phx_reply", payload);
  }

  /** The server pushes {@code presence_state} to the channel's current join. */
  void pushState(ObjectNode payload) {
    push(PhoenixPresence.STATE_EVENT, payload);
  }

  /** The server pushes an event to the channel's current join (V1 frames carry no join_ref). */
  void push(String event, JsonNode payload) {
    send(channel.joinRef(), null, event, payload);
  }

  /** The server broadcasts a {@code presence_diff} to the topic (join_ref and ref are null, as Phoenix sends it). */
  void broadcastDiff(ObjectNode payload) {
    broadcast(PhoenixPresence.DIFF_EVENT, payload);
  }

  void broadcast(String event, JsonNode payload) {
    send(null, null, event, payload);
  }

  /** The channel process crashes on the server: {@code phx_error} with the current join_ref. */
  void crashChannel() {
    String joinRef = channel.joinRef();
    send(joinRef, joinRef, "phx_error", MAPPER.createObjectNode());
  }

  /** The connection is lost (an error, then close 1006); the socket schedules a reconnect. */
  void dropConnection() {
    fake.last().fail(new IOException("connection reset"));
  }

  /** Lets the reconnect timer fire, opens the new transport (the channel rejoins) and accepts the rejoin. */
  void reconnectAndRejoin() {
    int before = fake.count();
    loop.advance(Duration.ofMillis(100));
    if (fake.count() != before + 1) {
      throw new AssertionError("the socket did not reconnect");
    }
    fake.last().open();
    replyToJoin();
  }

  /** Sends a frame from the server, written in the socket's serializer layout. */
  void send(String joinRef, String ref, String event, JsonNode payload) {
    JsonNode frame;
    if (v1) {
      ObjectNode object = MAPPER.createObjectNode().put("topic", TOPIC).put("event", event);
      object.set("payload", payload);
      object.put("ref", ref);
      frame = object;
    } else {
      ArrayNode array = MAPPER.createArrayNode().add(joinRef).add(ref).add(TOPIC).add(event);
      array.add(payload);
      frame = array;
    }
    fake.last().receive(write(frame));
  }

  private List<JsonNode> sentWithEvent(String event) {
    return fake.last().sentJson().stream().filter(frame -> event.equals(field(frame, 3, "event"))).toList();
  }

  private String field(JsonNode frame, int v2Index, String v1Name) {
    JsonNode value = v1 ? frame.path(v1Name) : frame.path(v2Index);
    return value.isTextual() ? value.asText() : null;
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
