package io.phoenixchannels.it.reliability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Phoenix server played on a {@link ManualEventLoop}, behind a link the test controls, so that a minute of
 * flapping costs milliseconds: it answers heartbeats, joins, leaves and pushes as Phoenix 1.8 does (a second join of
 * a topic replaces the first with {@code phx_close}; a push with a stale join_ref is dropped; a push to a topic not
 * joined gets {@code unmatched topic}), with a fixed one-way latency. The link is
 * <ul>
 *   <li>up: frames flow after the latency;</li>
 *   <li>down: open connections are reset (the client sees an error and 1006), new ones refused;</li>
 *   <li>blackholed: frames in both directions are held (no data, no FIN) and flow, in order, once the link is up
 *       again, unless the client gave up on the connection first; new connections hang until the link is up or
 *       their connect timeout passes.</li>
 * </ul>
 * It counts what a correct client never causes: a push id delivered twice, a topic joined twice on one connection,
 * a push carrying a join_ref that is not the topic's current one, a push to a topic that is not joined. Everything
 * runs on the test thread; not thread-safe.
 */
final class ScriptedPhoenixServer implements Transport.Factory {
  enum Link { UP, DOWN, BLACKHOLED }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ManualEventLoop loop;
  private final Duration latency;
  private final List<Connection> connections = new ArrayList<>();
  private final Map<Long, Integer> deliveries = new HashMap<>();
  private Link link = Link.UP;
  private long duplicateJoins;
  private long staleJoinRefPushes;
  private long unmatchedPushes;
  private long refusedConnections;
  private long resetConnections;

  ScriptedPhoenixServer(ManualEventLoop loop, Duration latency) {
    this.loop = loop;
    this.latency = latency;
  }

  // ---- the link ----

  Link link() {
    return link;
  }

  /** Resets every open connection and refuses new ones until {@link #up()}. */
  void down() {
    link = Link.DOWN;
    for (Connection connection : connections) {
      connection.reset();
    }
  }

  /** Holds every frame, both ways, until {@link #up()}. */
  void blackhole() {
    link = Link.BLACKHOLED;
  }

  /** Lets frames flow again: held frames first, in order; connections waiting to open open. */
  void up() {
    link = Link.UP;
    for (Connection connection : connections) {
      connection.linkUp();
    }
  }

  // ---- what happened ----

  int connectionCount() {
    return connections.size();
  }

  Connection current() {
    for (int i = connections.size() - 1; i >= 0; i--) {
      if (connections.get(i).alive) {
        return connections.get(i);
      }
    }
    return null;
  }

  long delivered() {
    return deliveries.size();
  }

  long duplicateDeliveries() {
    return deliveries.values().stream().filter(count -> count > 1).count();
  }

  long duplicateJoins() {
    return duplicateJoins;
  }

  long staleJoinRefPushes() {
    return staleJoinRefPushes;
  }

  long unmatchedPushes() {
    return unmatchedPushes;
  }

  long refusedConnections() {
    return refusedConnections;
  }

  long resetConnections() {
    return resetConnections;
  }

  // ---- Transport.Factory ----

  @Override
  public Transport open(TransportRequest request, Transport.Listener listener) {
    Connection connection = new Connection(listener, request.connectTimeout());
    connections.add(connection);
    loop.schedule(connection::handshake, latency);
    return connection;
  }

  /** One connection: the client's transport and the server's socket process in one. */
  final class Connection implements Transport {
    private final Transport.Listener listener;
    private final Map<String, String> joined = new LinkedHashMap<>();
    private final List<Runnable> held = new ArrayList<>();
    private boolean alive;
    private boolean gone;
    private final Duration connectTimeout;
    private boolean waitingToOpen;

    Connection(Transport.Listener listener, Duration connectTimeout) {
      this.listener = listener;
      this.connectTimeout = connectTimeout;
    }

    /** The topics joined on this connection, with their join_refs. */
    Map<String, String> joinedTopics() {
      return Map.copyOf(joined);
    }

    // ---- link events ----

    /** The upgrade reaches the server: accepted, refused, or stuck in the blackhole. */
    void handshake() {
      if (gone) {
        return;
      }
      switch (link) {
        case UP -> accept();
        case DOWN -> refuse();
        case BLACKHOLED -> {
          waitingToOpen = true;
          loop.schedule(this::connectTimedOut, connectTimeout.minus(latency));
        }
        default -> throw new IllegalStateException(link.toString());
      }
    }

    void accept() {
      if (gone) {
        return;
      }
      alive = true;
      listener.onOpen();
    }

    void refuse() {
      if (gone) {
        return;
      }
      gone = true;
      refusedConnections++;
      listener.onError(new ConnectionException("connection refused (the link is down)", -1, null));
      listener.onClose(CloseEvent.ABNORMAL, "");
    }

    void connectTimedOut() {
      if (!waitingToOpen || gone) {
        return;
      }
      waitingToOpen = false;
      gone = true;
      listener.onError(new ConnectionException("could not connect within " + connectTimeout.toMillis() + " ms", -1,
          null));
      listener.onClose(CloseEvent.ABNORMAL, "");
    }

    void reset() {
      if (waitingToOpen && !gone) {
        waitingToOpen = false;
        refuse();
        return;
      }
      if (!alive) {
        return;
      }
      alive = false;
      gone = true;
      held.clear();
      resetConnections++;
      listener.onError(new IOException("connection reset"));
      listener.onClose(CloseEvent.ABNORMAL, "");
    }

    void linkUp() {
      if (waitingToOpen && !gone) {
        waitingToOpen = false;
        loop.schedule(this::accept, latency);
      }
      List<Runnable> release = List.copyOf(held);
      held.clear();
      release.forEach(this::transfer);
    }

    /** Carries a frame across the link: after the latency, or held while blackholed; lost if the connection dies. */
    private void transfer(Runnable delivery) {
      if (link == Link.BLACKHOLED) {
        held.add(delivery);
        return;
      }
      loop.schedule(() -> {
        if (alive) {
          delivery.run();
        }
      }, latency);
    }

    // ---- Transport, as the client sees it ----

    @Override
    public void sendText(String text) {
      if (!alive) {
        return; // written into a dead connection: gone, as on a real wire
      }
      JsonNode frame;
      try {
        frame = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        throw new AssertionError("the client sent invalid JSON: " + text, e);
      }
      transfer(() -> handle(frame));
    }

    @Override
    public void sendBinary(ByteBuffer data) {
      throw new AssertionError("this scenario sends no binary frames");
    }

    @Override
    public void close(int code, String reason) {
      if (!alive) {
        return;
      }
      alive = false;
      gone = true;
      if (link == Link.UP) {
        loop.schedule(() -> listener.onClose(code, reason), latency);
      }
      // Otherwise the close handshake never completes; the socket aborts after its own timeout.
    }

    @Override
    public void abort() {
      alive = false;
      gone = true;
      waitingToOpen = false;
      held.clear();
    }

    // ---- the server's side ----

    private void handle(JsonNode frame) {
      String joinRef = text(frame.get(0));
      String ref = text(frame.get(1));
      String topic = frame.get(2).asText();
      String event = frame.get(3).asText();
      JsonNode payload = frame.get(4);
      if (topic.equals("phoenix") && event.equals("heartbeat")) {
        reply(null, ref, topic, "ok", NODES.objectNode());
        return;
      }
      switch (event) {
        case "phx_join" -> {
          String previous = joined.put(topic, joinRef);
          reply(joinRef, ref, topic, "ok", NODES.objectNode().put("joined", topic));
          if (previous != null) {
            duplicateJoins++;
            send(previous, previous, topic, "phx_close", NODES.objectNode());
          }
        }
        case "phx_leave" -> {
          String current = joined.get(topic);
          if (current == null) {
            reply(joinRef, ref, topic, "ok", NODES.objectNode());
          } else if (joinRef == null || joinRef.equals(current)) {
            joined.remove(topic);
            reply(current, ref, topic, "ok", NODES.objectNode());
            send(current, current, topic, "phx_close", NODES.objectNode());
          }
          // A leave of an older join: Phoenix sends nothing (it has closed that join already).
        }
        default -> {
          String current = joined.get(topic);
          if (current == null) {
            unmatchedPushes++;
            reply(null, ref, topic, "error", NODES.objectNode().put("reason", "unmatched topic"));
          } else if (joinRef != null && !joinRef.equals(current)) {
            staleJoinRefPushes++; // Phoenix 1.8 drops it without a reply
          } else {
            JsonNode id = payload.get("id");
            if (id != null) {
              deliveries.merge(id.asLong(), 1, Integer::sum);
            }
            reply(current, ref, topic, "ok", payload);
          }
        }
      }
    }

    private void reply(String joinRef, String ref, String topic, String status, JsonNode response) {
      ObjectNode payload = NODES.objectNode().put("status", status);
      payload.set("response", response);
      send(joinRef, ref, topic, "phx_reply", payload);
    }

    private void send(String joinRef, String ref, String topic, String event, JsonNode payload) {
      ArrayNode frame = NODES.arrayNode().add(joinRef).add(ref).add(topic).add(event);
      frame.add(payload);
      String text;
      try {
        text = MAPPER.writeValueAsString(frame);
      } catch (JsonProcessingException e) {
        throw new AssertionError(e);
      }
      transfer(() -> listener.onText(text));
    }

    private String text(JsonNode node) {
      return node == null || node.isNull() ? null : node.asText();
    }
  }
}
