package io.phoenixchannels.benchmarks.jmh;

import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.nio.ByteBuffer;

/**
 * A transport with no wire: it keeps the socket's listener, so a benchmark can hand the socket frames as a
 * transport thread would, and it keeps the last text frame the socket sent.
 */
final class CapturingTransport implements Transport, Transport.Factory {
  volatile Transport.Listener listener;
  volatile String lastSent;

  @Override
  public Transport open(TransportRequest request, Transport.Listener listener) {
    this.listener = listener;
    return this;
  }

  @Override
  public void sendText(String text) {
    lastSent = text;
  }

  @Override
  public void sendBinary(ByteBuffer data) {
  }

  @Override
  public void close(int code, String reason) {
    listener.onClose(code, reason);
  }

  @Override
  public void abort() {
  }
}
