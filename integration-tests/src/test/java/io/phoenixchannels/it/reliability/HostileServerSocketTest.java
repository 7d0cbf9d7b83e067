package io.phoenixchannels.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.phoenixchannels.ChannelState;
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.Push;
import io.phoenixchannels.Reply;
import io.phoenixchannels.testing.CapturedLogs;
import io.phoenixchannels.testing.ScenarioFigures;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Hostile frames over a real WebSocket, from {@link RawPhoenixServer}, which writes whatever bytes it is told to: a
 * representative set of the unit-level fuzz's cases (invalid JSON and UTF-8, wrong types, lying binary headers,
 * strangers), plus what only a real wire can carry (fragmented messages, text that is not UTF-8, frames that break
 * the WebSocket protocol itself). After each frame a normal push and its reply work on the same socket: over the
 * same connection when the frame was bad Phoenix, over a new one when it broke the WebSocket (the JDK fails such a
 * connection, as RFC 6455 requires, and the socket reconnects). The error listeners hear of every bad frame; no
 * exception escapes, no client thread dies, nothing is logged as an error.
 */
class HostileServerSocketTest {
  private static final String TOPIC = "room:hostile";
  private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(1);

  /** What a frame should do: be dropped quietly, be reported and dropped, or fail the WebSocket connection. */
  enum Expect { QUIET, REPORTED, CONNECTION_FAILED }

  private record Shot(String name, Expect expect, byte[] bytes) {}

  @Test
  void afterEveryHostileFrameTheErrorListenersKnowAndAPushStillWorks() throws Exception {
    ScenarioFigures figures = new ScenarioFigures("4b-hostile-input-socket",
        "Hostile server input, real WebSocket (raw server)").unit("hostile frames + follow-up pushes");
    Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, error) -> escaped.add(error));
    Queue<PhoenixException> errors = new ConcurrentLinkedQueue<>();
    Queue<CloseEvent> closes = new ConcurrentLinkedQueue<>();
    PushLedger ledger = new PushLedger();
    List<String> outcomes = new ArrayList<>();
    try (CapturedLogs logs = CapturedLogs.of("io.phoenixchannels", Level.WARNING);
        RawPhoenixServer server = new RawPhoenixServer();
        PhoenixSocket socket = Sockets.fast(server.url()).timeout(PUSH_TIMEOUT).build()) {
      socket.onError(errors::add);
      socket.onClose(closes::add);
      PhoenixChannel channel = socket.channel(TOPIC);
      channel.join();
      socket.connect();
      await().atMost(Duration.ofSeconds(5)).until(() -> channel.state() == ChannelState.JOINED);

      for (Shot shot : shots()) {
        int errorsBefore = errors.size();
        int closesBefore = closes.size();
        int connectionsBefore = server.connectionCount();
        RawPhoenixServer.Connection connection = openConnection(server);
        connection.sendRaw(shot.bytes());
        if (shot.expect() == Expect.CONNECTION_FAILED) {
          // Push once the client has given up on the connection, rather than into the one that is failing.
          await().atMost(Duration.ofSeconds(5)).until(() -> closes.size() > closesBefore);
        }
        pushUntilAnswered(channel, ledger, shot.name());
        boolean reconnected = server.connectionCount() > connectionsBefore;
        int newErrors = errors.size() - errorsBefore;
        outcomes.add(shot.name() + ": " + newErrors + " error(s)" + (reconnected ? ", reconnected" : ""));
        switch (shot.expect()) {
          case QUIET -> {
            assertThat(newErrors).as("errors after %s", shot.name()).isZero();
            assertThat(reconnected).as("reconnected after %s", shot.name()).isFalse();
          }
          case REPORTED -> {
            assertThat(newErrors).as("errors after %s", shot.name()).isEqualTo(1);
            assertThat(errors.stream().skip(errorsBefore).findFirst().orElseThrow())
                .isInstanceOf(ProtocolException.class);
            assertThat(reconnected).as("reconnected after %s", shot.name()).isFalse();
          }
          case CONNECTION_FAILED -> {
            assertThat(newErrors).as("errors after %s", shot.name()).isPositive();
            PhoenixException failure = errors.stream().skip(errorsBefore).findFirst().orElseThrow();
            assertThat(failure.getMessage()).as("the error names what the JDK found wrong")
                .contains(jdkReason(failure));
            assertThat(closes.size()).as("closes after %s", shot.name()).isGreaterThan(closesBefore);
            assertThat(reconnected).as("reconnected after %s", shot.name()).isTrue();
          }
          default -> throw new IllegalStateException();
        }
        assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
      }
      long lost = ledger.awaitSettled(PUSH_TIMEOUT.multipliedBy(2));

      assertThat(escaped).as("exceptions that escaped a thread").isEmpty();
      assertThat(logs.records()).as("errors logged by the client")
          .noneMatch(record -> record.getLevel().intValue() >= Level.SEVERE.intValue());
      assertThat(Thread.getAllStackTraces().keySet()).as("the client's event loop is alive")
          .anyMatch(thread -> thread.getName().startsWith("phoenix-loop") && thread.isAlive());
      assertThat(lost).isZero();
      assertThat(ledger.duplicated()).isZero();

      ledger.addTo(figures, lost);
      figures.operations(shots().size())
          .note(shots().size() + " frames: " + outcomes.stream().filter(o -> o.contains("reconnected")).count()
              + " broke the WebSocket (reported, reconnected), the rest answered on the same connection; "
              + "0 escaped exceptions, 0 dead threads")
          .write();
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  /** Pushes until one push is acknowledged: the ones caught by a failing connection time out and are counted. */
  private static void pushUntilAnswered(PhoenixChannel channel, PushLedger ledger, String after) throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      long id = ledger.nextId();
      Push push = channel.push("echo", Map.of("id", id));
      ledger.track(id, push);
      try {
        Reply reply = push.toFuture().get(PUSH_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        if (reply.isOk() && reply.response().path("id").asLong() == id) {
          return;
        }
      } catch (ExecutionException timedOut) {
        // The push was written into a connection the frame broke; the next one goes over the new connection.
      } catch (TimeoutException e) {
        throw new AssertionError("a push after " + after + " got no outcome at all", e);
      }
    }
    throw new AssertionError("no push was answered after " + after);
  }

  /** The JDK's reason: the first message under the transport's own exception and the JDK's bare one. */
  private static String jdkReason(Throwable error) {
    for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isEmpty()) {
        return cause.getMessage();
      }
    }
    throw new AssertionError("the JDK gave no reason at all: " + error);
  }

  private static RawPhoenixServer.Connection openConnection(RawPhoenixServer server) {
    return await().atMost(Duration.ofSeconds(5)).until(server::lastConnection,
        connection -> connection != null && connection.isOpen());
  }

  /**
   * The frames. Well-formed JSON is written by Jackson; the broken ones ("}{", 100,000 open brackets, bytes that are
   * not UTF-8) are raw strings and bytes on purpose: no JSON library would write them, which is the point.
   */
  private static List<Shot> shots() {
    Random random = new Random(7);
    byte[] randomBytes = new byte[200];
    random.nextBytes(randomBytes);
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    List<Shot> shots = new ArrayList<>(List.of(
        text("not JSON", Expect.REPORTED, utf8("}{")),
        text("empty text", Expect.REPORTED, new byte[0]),
        text("five numbers", Expect.REPORTED, RawPhoenixServer.json(nodes.arrayNode().add(1).add(2).add(3).add(4)
            .add(5))),
        text("an object instead of an array", Expect.REPORTED, RawPhoenixServer.json(nodes.objectNode()
            .put("topic", TOPIC))),
        text("a reply whose status is a number", Expect.REPORTED, RawPhoenixServer.json(RawPhoenixServer.frame(
            null, "77", TOPIC, "phx_reply", JsonNodeFactory.instance.objectNode().put("status", 7)))),
        text("100,000 open brackets", Expect.REPORTED, utf8("[".repeat(100_000))),
        text("a 200,000-digit number", Expect.REPORTED, RawPhoenixServer.json(RawPhoenixServer.frame(null, null,
            TOPIC, "n", nodes.numberNode(new BigInteger("9".repeat(200_000)))))),
        binary("random bytes", Expect.REPORTED, randomBytes),
        binary("empty binary", Expect.REPORTED, new byte[0]),
        binary("binary header announcing more than follows", Expect.REPORTED,
            new byte[] {1, (byte) 255, (byte) 255, (byte) 255, (byte) 255, 'a', 'b'}),
        binary("unknown binary kind", Expect.REPORTED, new byte[] {7, 1, 1, 'a', 'b'}),
        binary("binary topic that is not UTF-8", Expect.REPORTED,
            new byte[] {2, 2, 1, (byte) 0xC3, (byte) 0x28, 'e', 9}),
        text("a reply for an unknown ref", Expect.QUIET, RawPhoenixServer.json(RawPhoenixServer.frame(null,
            "123456789", TOPIC, "phx_reply", JsonNodeFactory.instance.objectNode().put("status", "ok")))),
        text("phx_close of an old join", Expect.QUIET, RawPhoenixServer.json(RawPhoenixServer.frame("old", "old",
            TOPIC, "phx_close", JsonNodeFactory.instance.objectNode()))),
        text("a broadcast to a topic never joined", Expect.QUIET, RawPhoenixServer.json(RawPhoenixServer.frame(
            null, null, "room:never", "news", JsonNodeFactory.instance.objectNode()))),
        text("1 MB for a topic never joined", Expect.QUIET, RawPhoenixServer.json(RawPhoenixServer.frame(null,
            null, "room:elsewhere", "big", nodes.textNode("x".repeat(1_000_000))))),
        new Shot("a valid broadcast in three fragments", Expect.QUIET, fragmented(RawPhoenixServer.json(
            RawPhoenixServer.frame(null, null, TOPIC, "news", JsonNodeFactory.instance.objectNode())))),
        text("text that is not UTF-8", Expect.CONNECTION_FAILED, new byte[] {'[', (byte) 0xC3, (byte) 0x28, ']'}),
        new Shot("a reserved opcode", Expect.CONNECTION_FAILED, frame(0x80 | 0x3, utf8("?"))),
        new Shot("a masked server frame", Expect.CONNECTION_FAILED, masked(utf8("[]"))),
        new Shot("a ping over 125 bytes", Expect.CONNECTION_FAILED, frame(0x80 | 0x9, new byte[200])),
        new Shot("RSV1 set without an extension", Expect.CONNECTION_FAILED, frame(0x80 | 0x40 | 0x1, utf8("[]")))));
    return shots;
  }

  private static Shot text(String name, Expect expect, byte[] payload) {
    return new Shot(name, expect, frame(0x80 | RawPhoenixServer.TEXT, payload));
  }

  private static Shot binary(String name, Expect expect, byte[] payload) {
    return new Shot(name, expect, frame(0x80 | RawPhoenixServer.BINARY, payload));
  }

  /** One frame with this first byte (FIN, RSV bits, opcode) and payload, unmasked. */
  private static byte[] frame(int firstByte, byte[] payload) {
    byte[] header = RawPhoenixServer.header(firstByte & 0x0f, payload.length);
    header[0] = (byte) firstByte;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  /** A text message split over a text frame and two continuation frames. */
  private static byte[] fragmented(byte[] text) {
    int third = text.length / 3;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(frame(RawPhoenixServer.TEXT, Arrays.copyOfRange(text, 0, third)));
    out.writeBytes(frame(0x0, Arrays.copyOfRange(text, third, 2 * third)));
    out.writeBytes(frame(0x80, Arrays.copyOfRange(text, 2 * third, text.length)));
    return out.toByteArray();
  }

  /** A text frame with the mask bit set, which only clients may send. */
  private static byte[] masked(byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80 | RawPhoenixServer.TEXT);
    out.write(0x80 | payload.length);
    byte[] mask = {1, 2, 3, 4};
    out.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
