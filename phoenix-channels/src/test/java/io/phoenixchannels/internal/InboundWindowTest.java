package io.phoenixchannels.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.transport.TransportRequest;
import java.net.URI;
import org.junit.jupiter.api.Test;

class InboundWindowTest {
  private final FakeTransport.Connection transport = new FakeTransport().open(
      TransportRequest.builder(URI.create("ws://example.test/socket")).build(), null);

  @Test
  void pausesPastTheWindowAndResumesAtHalfOnce() {
    InboundWindow window = new InboundWindow(4);
    window.attach(transport);
    for (int i = 0; i < 6; i++) {
      window.taken();
    }
    assertThat(transport.pauses()).isEqualTo(1);
    window.released();
    window.released();
    window.released();
    assertThat(transport.isReadingPaused()).as("3 left, above half").isTrue();
    window.released();
    assertThat(transport.isReadingPaused()).as("2 left: half").isFalse();
    window.released();
    window.released();
    assertThat(transport.resumes()).isEqualTo(1);
  }

  @Test
  void aPauseDecidedBeforeTheTransportIsKnownAppliesWhenItIs() {
    InboundWindow window = new InboundWindow(1);
    window.taken();
    window.taken();
    assertThat(window.isPaused()).isTrue();
    window.attach(transport);
    assertThat(transport.isReadingPaused()).isTrue();
  }

  @Test
  void zeroMeansNoLimit() {
    InboundWindow window = new InboundWindow(0);
    window.attach(transport);
    for (int i = 0; i < 100_000; i++) {
      window.taken();
    }
    assertThat(transport.pauses()).isZero();
  }
}
