package io.phoenixchannels.conformance;

import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.testing.FakeTransport;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the manual clock's time on everything the client does to the fake transport: when it opened each
 * connection and when it sent each frame, so that the replay can tell a frame sent too early (a timer running
 * shorter than phoenix.js's) from one sent on time. The fake transport itself plays the server.
 */
final class TimestampingTransport implements Transport.Factory {
  private final FakeTransport fake;
  private final ManualEventLoop loop;
  private final List<Long> connectedAt = new ArrayList<>();
  private final List<Long> sentAt = new ArrayList<>();

  TimestampingTransport(FakeTransport fake, ManualEventLoop loop) {
    this.fake = fake;
    this.loop = loop;
  }

  /** The clock's time when the client opened each connection, in nanoseconds. */
  List<Long> connectedAt() {
    return connectedAt;
  }

  /** The clock's time when the client sent each frame, over all connections, in nanoseconds. */
  List<Long> sentAt() {
    return sentAt;
  }

  @Override
  public Transport open(TransportRequest request, Transport.Listener listener) {
    Transport connection = fake.open(request, listener);
    connectedAt.add(loop.nanoTime());
    return new Transport() {
      @Override
      public void sendText(String text) {
        connection.sendText(text);
        sentAt.add(loop.nanoTime());
      }

      @Override
      public void sendBinary(ByteBuffer data) {
        connection.sendBinary(data);
        sentAt.add(loop.nanoTime());
      }

      @Override
      public void close(int code, String reason) {
        connection.close(code, reason);
      }

      @Override
      public void abort() {
        connection.abort();
      }

      @Override
      public boolean needsHeartbeat() {
        return connection.needsHeartbeat();
      }
    };
  }
}
