package io.phoenixchannels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.testing.SilentLogger;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Replays one client connection of a conformance trace through this client: the trace's server frames are fed to
 * the socket over a {@link FakeTransport}, and each frame the trace's client sent is made by the matching call
 * ({@code join}, {@code push}, {@code leave}) and compared. Refs are mapped, never compared: each ref of a traced
 * client frame maps to the ref this client used, and the server frames are rewritten with the mapped refs.
 * Heartbeats are skipped (this client's heartbeat timer does not run on the manual clock). The replay ends where
 * the trace's client closes the socket.
 */
final class TraceReplay {
  /** Sees the replay as it goes. */
  interface Observer {
    /** A server frame is about to be delivered. */
    void receiving(String topic, String event);

    /** What phoenix.js reported to the application at this point of the trace. */
    void note(JsonNode note);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String HEARTBEAT_TOPIC = "phoenix";

  final ManualEventLoop loop = new ManualEventLoop();
  final FakeTransport fake = new FakeTransport();
  final PhoenixSocket socket;
  private final boolean v1;
  private final Consumer<PhoenixChannel> onChannelCreated;
  private final Map<String, PhoenixChannel> channels = new HashMap<>();
  private final Map<String, String> refs = new HashMap<>();

  /**
   * @param vsn the serializer the trace's client used
   * @param onChannelCreated called with each channel before it joins, to attach a presence for instance
   */
  TraceReplay(String vsn, Consumer<PhoenixChannel> onChannelCreated) {
    this.socket = PhoenixSocket.builder("ws://127.0.0.1:4000/socket")
        .vsn(vsn)
        .eventLoop(loop)
        .transport(fake)
        .logger(new SilentLogger())
        .build();
    this.v1 = vsn.startsWith("1.");
    this.onChannelCreated = onChannelCreated;
  }

  /** Plays the lines of one connection ({@code "A"}, {@code "B"}) of a trace. */
  void play(List<JsonNode> trace, String conn, Observer observer) {
    for (JsonNode line : trace) {
      if (!conn.equals(line.path("conn").asText())) {
        continue;
      }
      switch (line.path("dir").asText()) {
        case "meta" -> {
          String event = line.path("event").asText();
          if (event.equals("connect")) {
            socket.connect();
          } else if (event.equals("open")) {
            fake.last().open();
          } else if (event.equals("client_close_called")) {
            return;
          }
        }
        case "out" -> clientSends(read(line.path("data").asText()));
        case "in" -> serverSends(read(line.path("data").asText()), observer);
        case "note" -> observer.note(line);
        default -> throw new AssertionError("unexpected trace line " + line);
      }
    }
  }

  PhoenixChannel channel(String topic) {
    return channels.get(topic);
  }

  private void clientSends(JsonNode traced) {
    String topic = topic(traced);
    if (topic.equals(HEARTBEAT_TOPIC)) {
      return;
    }
    String event = event(traced);
    int sentBefore = fake.last().sentTexts().size();
    switch (event) {
      case PhoenixChannel.JOIN -> {
        PhoenixChannel channel = socket.channel(topic, payload(traced));
        channels.put(topic, channel);
        onChannelCreated.accept(channel);
        channel.join();
      }
      case PhoenixChannel.LEAVE -> channels.get(topic).leave();
      default -> channels.get(topic).push(event, payload(traced));
    }
    List<String> sent = fake.last().sentTexts();
    if (sent.size() != sentBefore + 1) {
      throw new AssertionError("the trace's client sent " + traced + "; this client sent "
          + sent.subList(sentBefore, sent.size()));
    }
    JsonNode ours = read(sent.get(sent.size() - 1));
    if (!topic(ours).equals(topic) || !event(ours).equals(event) || !payload(ours).equals(payload(traced))) {
      throw new AssertionError("the trace's client sent " + traced + "; this client sent " + ours);
    }
    mapRef(ref(traced, 0, "join_ref"), ref(ours, 0, "join_ref"));
    mapRef(ref(traced, 1, "ref"), ref(ours, 1, "ref"));
  }

  private void serverSends(JsonNode traced, Observer observer) {
    if (topic(traced).equals(HEARTBEAT_TOPIC)) {
      return;
    }
    JsonNode frame = traced.deepCopy();
    if (v1) {
      ObjectNode object = (ObjectNode) frame;
      object.put("ref", mapped(ref(traced, 1, "ref")));
      if (object.has("join_ref")) {
        object.put("join_ref", mapped(ref(traced, 0, "join_ref")));
      }
    } else {
      ArrayNode array = (ArrayNode) frame;
      array.set(0, refNode(mapped(ref(traced, 0, "join_ref"))));
      array.set(1, refNode(mapped(ref(traced, 1, "ref"))));
    }
    observer.receiving(topic(traced), event(traced));
    fake.last().receive(write(frame));
  }

  private void mapRef(String tracedRef, String ourRef) {
    if (tracedRef != null) {
      refs.put(tracedRef, ourRef);
    }
  }

  private String mapped(String tracedRef) {
    if (tracedRef == null) {
      return null;
    }
    String ours = refs.get(tracedRef);
    if (ours == null) {
      throw new AssertionError("the trace's server used ref " + tracedRef + ", which no client frame carried");
    }
    return ours;
  }

  private static JsonNode refNode(String ref) {
    return ref == null ? MAPPER.getNodeFactory().nullNode() : MAPPER.getNodeFactory().textNode(ref);
  }

  private String topic(JsonNode frame) {
    return v1 ? frame.path("topic").asText() : frame.path(2).asText();
  }

  private String event(JsonNode frame) {
    return v1 ? frame.path("event").asText() : frame.path(3).asText();
  }

  private JsonNode payload(JsonNode frame) {
    return v1 ? frame.path("payload") : frame.path(4);
  }

  private String ref(JsonNode frame, int v2Index, String v1Name) {
    JsonNode ref = v1 ? frame.path(v1Name) : frame.path(v2Index);
    return ref.isTextual() ? ref.asText() : null;
  }

  private static JsonNode read(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
