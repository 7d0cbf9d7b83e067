package io.phoenixchannels;

import static io.phoenixchannels.testing.ServerFrames.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.transport.BuiltInTransport;
import io.phoenixchannels.transport.LongPollTransport;
import io.phoenixchannels.transport.Transport;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code longPollFallback}: when the WebSocket cannot be established within the fallback time, the socket switches
 * to long-poll and remembers it (the checklist's Fallback line), on a manual clock with fake transports for both.
 */
class LongPollFallbackTest {
  private static final Duration AFTER = Duration.ofMillis(2500);
  private static final URI ENDPOINT = URI.create("ws://example.test/socket");

  private final ManualEventLoop loop = new ManualEventLoop();
  private final FakeTransport webSocket = new FakeTransport();
  private final FakeTransport longPoll = new FakeTransport();
  private final FallbackMemory memory = FallbackMemory.inMemory();
  private final List<CloseEvent> closes = new ArrayList<>();
  private final List<PhoenixException> errors = new ArrayList<>();
  private final List<String> opens = new ArrayList<>();

  private PhoenixSocket.Builder builder() {
    return PhoenixSocket.builder(ENDPOINT.toString()).eventLoop(loop).transport(webSocket)
        .longPollFallback(AFTER, longPoll).fallbackMemory(memory);
  }

  private PhoenixSocket socket() {
    PhoenixSocket socket = builder().build();
    socket.onClose(closes::add);
    socket.onError(errors::add);
    socket.onOpen(() -> opens.add(webSocket.count() + "/" + longPoll.count()));
    return socket;
  }

  private void advanceMillis(long millis) {
    loop.advance(Duration.ofMillis(millis));
  }

  private static FakeTransport.Connection openLongPoll(FakeTransport transport) {
    return transport.last().withoutHeartbeats().open();
  }

  @Nested
  class WhenTheWebSocketFailsBeforeItOpens {
    @Test
    void switchesAtOnceThenRemembersTheEndpointOnceLongPollOpens() {
      PhoenixSocket socket = socket();
      socket.connect();
      webSocket.last().fail(new ConnectionException("WebSocket upgrade refused with HTTP 400", 400, null));
      assertThat(longPoll.count()).as("no reconnect backoff: long-poll at once").isEqualTo(1);
      assertThat(closes).singleElement().satisfies(close -> assertThat(close.requested()).isFalse());
      assertThat(errors).singleElement().satisfies(error -> assertThat(error.getMessage()).contains("400"));
      assertThat(memory.usesLongPoll(ENDPOINT)).as("not before long-poll works").isFalse();

      openLongPoll(longPoll);
      assertThat(socket.isConnected()).isTrue();
      assertThat(memory.usesLongPoll(ENDPOINT)).isTrue();
      assertThat(memory.usesLongPoll(URI.create("http://EXAMPLE.test/socket/"))).as("the same endpoint").isTrue();
    }

    @Test
    void aSecondSocketToTheEndpointGoesStraightToLongPoll() {
      socket().connect();
      webSocket.last().fail(new ConnectionException("reset", -1, null));
      openLongPoll(longPoll);

      PhoenixSocket second = socket();
      second.connect();
      assertThat(webSocket.count()).as("no second WebSocket attempt").isEqualTo(1);
      assertThat(longPoll.count()).isEqualTo(2);
      advanceMillis(10_000);
      assertThat(webSocket.count()).isEqualTo(1);
    }

    @Test
    void staysOnLongPollForTheSocketsLifeAndReconnectsOverIt() {
      PhoenixSocket socket = socket();
      PhoenixChannel room = socket.channel("room:1");
      room.join();
      socket.connect();
      webSocket.last().fail(new ConnectionException("reset", -1, null));
      FakeTransport.Connection first = openLongPoll(longPoll);
      JsonNode join = first.sentWithEvent("phx_join").get(0);
      first.receive(ok(join.get(0).asText(), join.get(1).asText(), "room:1"));
      assertThat(room.state()).isEqualTo(ChannelState.JOINED);

      first.serverClose(LongPollTransport.SESSION_GONE, "session_gone");
      advanceMillis(10);
      assertThat(longPoll.count()).isEqualTo(2);
      assertThat(webSocket.count()).isEqualTo(1);
      socket.disconnect();
      socket.connect();
      assertThat(longPoll.count()).as("a connect after a disconnect stays on long-poll").isEqualTo(3);
      assertThat(webSocket.count()).isEqualTo(1);
    }

    @Test
    void doesNotSwitchWhenNothingListensOnThePortAndRestartsTheTimeForTheNextAttempt() {
      socket().connect();
      for (int attempt = 0; attempt < 20; attempt++) {
        int before = webSocket.count();
        webSocket.last().fail(new ConnectionException("cannot connect", -1, new ConnectException("refused")));
        while (webSocket.count() == before) {
          advanceMillis(10);
        }
      }
      assertThat(loop.elapsed()).isGreaterThan(AFTER);
      assertThat(longPoll.count()).as("long-poll would find the port closed as well").isZero();

      // This attempt hangs: the fallback time runs from it.
      advanceMillis(AFTER.toMillis() - 1);
      assertThat(longPoll.count()).isZero();
      advanceMillis(1);
      assertThat(longPoll.count()).isEqualTo(1);
      assertThat(webSocket.last().isAborted()).isTrue();
    }
  }

  @Nested
  class WhenTheWebSocketDoesNotOpenInTime {
    @Test
    void abandonsItAtTheFallbackTimeAndConnectsOverLongPoll() {
      PhoenixSocket socket = socket();
      socket.connect();
      advanceMillis(AFTER.toMillis() - 1);
      assertThat(longPoll.count()).isZero();
      advanceMillis(1);
      assertThat(webSocket.last().isAborted()).isTrue();
      assertThat(longPoll.count()).isEqualTo(1);
      assertThat(closes).singleElement().satisfies(close -> {
        assertThat(close.code()).isEqualTo(CloseEvent.ABNORMAL);
        assertThat(close.reason()).isEqualTo("falling back to long-poll");
        assertThat(close.requested()).isFalse();
        assertThat(close.cause().getMessage()).contains("did not open within 2500 ms");
      });
      openLongPoll(longPoll);
      assertThat(socket.isConnected()).isTrue();
      assertThat(memory.usesLongPoll(ENDPOINT)).isTrue();
    }

    @Test
    void countsTheTimeFromTheConnectAcrossReconnectAttempts() {
      socket().connect();
      advanceMillis(1000);
      webSocket.last().open();
      // A WebSocket that opens and dies before it answers cannot postpone the switch: the probe's time is fresh
      // only for its first opening.
      webSocket.last().serverClose(1006, "");
      advanceMillis(10);
      webSocket.last().open();
      webSocket.last().serverClose(1006, "");
      assertThat(longPoll.count()).isZero();
      advanceMillis(AFTER.toMillis() - 10);
      assertThat(longPoll.count()).isEqualTo(1);
    }

    @Test
    void aDisconnectStopsTheTimeAndTheNextConnectStartsItAgain() {
      PhoenixSocket socket = socket();
      socket.connect();
      advanceMillis(2000);
      socket.disconnect();
      advanceMillis(10_000);
      assertThat(longPoll.count()).isZero();
      socket.connect();
      assertThat(webSocket.count()).isEqualTo(2);
      advanceMillis(AFTER.toMillis() - 1);
      assertThat(longPoll.count()).isZero();
      advanceMillis(1);
      assertThat(longPoll.count()).isEqualTo(1);
    }
  }

  @Nested
  class WhenTheWebSocketOpens {
    @Test
    void probesItWithAHeartbeatAtOnce() {
      socket().connect();
      FakeTransport.Connection ws = webSocket.last().open();
      assertThat(ws.sentWithEvent("heartbeat")).singleElement()
          .satisfies(frame -> assertThat(frame.get(2).asText()).isEqualTo("phoenix"));
    }

    @Test
    void fallsBackWhenTheProbeGetsNoAnswerAndTheChannelsRejoinOverLongPoll() {
      PhoenixSocket socket = socket();
      PhoenixChannel room = socket.channel("room:1");
      room.join();
      socket.connect();
      advanceMillis(2000);
      FakeTransport.Connection ws = webSocket.last().open();
      JsonNode wsJoin = ws.sentWithEvent("phx_join").get(0);
      ws.receive(ok(wsJoin.get(0).asText(), wsJoin.get(1).asText(), "room:1"));
      assertThat(room.state()).isEqualTo(ChannelState.JOINED);

      // The probe gets a fresh fallback time from the opening.
      advanceMillis(AFTER.toMillis() - 1);
      assertThat(longPoll.count()).isZero();
      advanceMillis(1);
      assertThat(ws.isAborted()).isTrue();
      assertThat(room.state()).isEqualTo(ChannelState.ERRORED);
      assertThat(closes).singleElement().satisfies(close ->
          assertThat(close.cause().getMessage()).contains("did not answer its first heartbeat"));

      FakeTransport.Connection lp = openLongPoll(longPoll);
      JsonNode lpJoin = lp.sentWithEvent("phx_join").get(0);
      assertThat(lpJoin.get(0).asText()).isNotEqualTo(wsJoin.get(0).asText());
      lp.receive(ok(lpJoin.get(0).asText(), lpJoin.get(1).asText(), "room:1"));
      assertThat(room.state()).isEqualTo(ChannelState.JOINED);
      assertThat(lp.sentWithEvent("heartbeat")).as("no probe, no heartbeats over long-poll").isEmpty();
      assertThat(memory.usesLongPoll(ENDPOINT)).isTrue();
    }

    @Test
    void keepsAWebSocketThatAnsweredItsProbeAlsoAfterLaterOutages() {
      PhoenixSocket socket = socket();
      socket.connect();
      FakeTransport.Connection ws = webSocket.last().open();
      String probeRef = ws.sentWithEvent("heartbeat").get(0).get(1).asText();
      ws.receive("[null,\"" + probeRef + "\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      advanceMillis(AFTER.toMillis() * 4);
      assertThat(longPoll.count()).isZero();
      assertThat(socket.isConnected()).isTrue();

      ws.serverClose(1001, "");
      advanceMillis(10);
      webSocket.last().fail(new ConnectionException("upgrade refused", 502, null));
      advanceMillis(AFTER.toMillis() * 4);
      assertThat(longPoll.count()).as("a server restart does not downgrade a working socket").isZero();
      assertThat(webSocket.count()).isGreaterThan(2);
      assertThat(memory.usesLongPoll(ENDPOINT)).isFalse();
    }
  }

  @Nested
  class Memory {
    @Test
    void forgettingTheEndpointSendsTheNextSocketToTheWebSocketAgain() {
      memory.rememberLongPoll(ENDPOINT);
      socket().connect();
      assertThat(longPoll.count()).isEqualTo(1);
      memory.forget(URI.create("http://example.test/socket"));
      socket().connect();
      assertThat(webSocket.count()).isEqualTo(1);
    }

    @Test
    void theDefaultIsSharedByTheJvmsSocketsPerEndpoint() {
      URI endpoint = URI.create("ws://shared-memory.test/socket");
      FallbackMemory.shared().rememberLongPoll(endpoint);
      try {
        PhoenixSocket.builder(endpoint.toString()).eventLoop(loop).transport(webSocket)
            .longPollFallback(AFTER, longPoll).build().connect();
        PhoenixSocket.builder("wss://shared-memory.test/socket").eventLoop(loop).transport(webSocket)
            .longPollFallback(AFTER, longPoll).build().connect();
        assertThat(longPoll.count()).isEqualTo(1);
        assertThat(webSocket.count()).as("wss is another endpoint than ws").isEqualTo(1);
      } finally {
        FallbackMemory.shared().forget(endpoint);
      }
    }

    @Test
    void isNotConsultedWithoutAFallback() {
      memory.rememberLongPoll(ENDPOINT);
      PhoenixSocket.builder(ENDPOINT.toString()).eventLoop(loop).transport(webSocket).fallbackMemory(memory).build()
          .connect();
      assertThat(webSocket.count()).isEqualTo(1);
    }
  }

  @Nested
  class Builder {
    @Test
    void needsAWebSocketToFallBackFrom() {
      assertThatThrownBy(() -> PhoenixSocket.builder(ENDPOINT.toString()).transport(BuiltInTransport.LONG_POLL)
          .longPollFallback(AFTER).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("long-poll already");
    }

    @Test
    void refusesANonPositiveTime() {
      assertThatThrownBy(() -> builder().longPollFallback(Duration.ZERO, longPoll).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longPollFallback");
    }

    @Test
    void refusesACustomCodecSinceLongPollSpeaksJsonOnly() {
      assertThatThrownBy(() -> PhoenixSocket.builder(ENDPOINT.toString()).codec(new NullCodec())
          .longPollFallback(AFTER).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MessageCodec");
      assertThatThrownBy(() -> PhoenixSocket.builder(ENDPOINT.toString()).codec(new NullCodec())
          .transport(BuiltInTransport.LONG_POLL).build())
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("long-poll");
      Transport.Factory jsonOnly = new Transport.Factory() {
        @Override
        public Transport open(io.phoenixchannels.transport.TransportRequest request, Transport.Listener listener) {
          throw new AssertionError("not opened");
        }

        @Override
        public boolean carriesCustomCodecs() {
          return false;
        }
      };
      assertThatThrownBy(() -> PhoenixSocket.builder(ENDPOINT.toString()).codec(new NullCodec()).transport(jsonOnly)
          .build()).isInstanceOf(IllegalArgumentException.class);
      // A fallback transport that can carry the codec is the user's call.
      PhoenixSocket.builder(ENDPOINT.toString()).eventLoop(loop).codec(new NullCodec()).transport(webSocket)
          .longPollFallback(AFTER, longPoll).build().close();
    }

    @Test
    void aSlashTokenIsLeftToTheFallbackWhichCarriesIt() {
      PhoenixSocket.builder(ENDPOINT.toString()).eventLoop(loop).authToken("tok/with+slash?")
          .longPollFallback(AFTER, longPoll).build().close();
      PhoenixSocket.builder(ENDPOINT.toString()).eventLoop(loop).authToken("tok/with+slash?")
          .transport(BuiltInTransport.LONG_POLL).build().close();
    }
  }

  /** A codec that is never used: only its presence matters to the builder. */
  private static final class NullCodec implements MessageCodec {
    @Override
    public String vsn() {
      return "2.0.0";
    }

    @Override
    public Object encode(Message message) {
      return "";
    }

    @Override
    public Message decode(String text) {
      throw new ProtocolException("unused");
    }

    @Override
    public Message decode(ByteBuffer data) {
      throw new ProtocolException("unused");
    }
  }

  @Test
  void aSocketWithoutFallbackNeverProbes() {
    PhoenixSocket socket = PhoenixSocket.builder(ENDPOINT.toString()).eventLoop(loop).transport(webSocket)
        .params(Map.of()).build();
    socket.connect();
    assertThat(webSocket.last().open().sentWithEvent("heartbeat")).isEmpty();
  }
}
