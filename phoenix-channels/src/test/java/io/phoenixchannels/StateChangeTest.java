package io.phoenixchannels;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code onStateChange} of sockets and channels: every change, in order, and nothing after the subscription closed. */
class StateChangeTest {
  private final ChannelHarness harness = new ChannelHarness();

  @Test
  void socketReportsEveryChangeIncludingThoseNoOtherCallbackReports() {
    List<SocketState> seen = new ArrayList<>();
    harness.socket.onStateChange(seen::add);

    harness.socket.connect();
    harness.loop.runPending();
    harness.fake.last().open();
    harness.loop.runPending();
    harness.socket.disconnect();
    harness.loop.runPending();

    assertThat(seen).containsExactly(SocketState.CONNECTING, SocketState.OPEN, SocketState.CLOSING,
        SocketState.CLOSED);
    assertThat(harness.socket.state()).isEqualTo(SocketState.CLOSED);
  }

  @Test
  void channelReportsEveryChangeInOrder() {
    List<ChannelState> seen = new ArrayList<>();
    harness.channel.onStateChange(seen::add);

    harness.connectAndJoin();
    harness.crashChannel();
    harness.loop.advance(Duration.ofSeconds(1)); // the rejoin backoff's first step
    harness.replyToJoin();
    harness.channel.leave();
    harness.loop.advance(Duration.ofSeconds(11)); // the leave's timeout closes the channel

    assertThat(seen).containsExactly(ChannelState.JOINING, ChannelState.JOINED, ChannelState.ERRORED,
        ChannelState.JOINING, ChannelState.JOINED, ChannelState.LEAVING, ChannelState.CLOSED);
  }

  @Test
  void closedSubscriptionHearsNoMore() {
    List<ChannelState> seen = new ArrayList<>();
    harness.channel.onStateChange(seen::add).close();

    harness.connectAndJoin();

    assertThat(seen).isEmpty();
    assertThat(harness.channel.state()).isEqualTo(ChannelState.JOINED);
  }
}
