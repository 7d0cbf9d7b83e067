package io.phoenixchannels.okhttp;

import static org.awaitility.Awaitility.await;

import io.phoenixchannels.transport.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The socket's side of a transport in these tests: records what the transport reports, as strings ({@code open},
 * {@code text:...}, {@code binary:<hex>}, {@code error}, {@code close <code> <reason>}) and the errors themselves,
 * and checks that calls never overlap.
 */
class RecordingListener implements Transport.Listener {
  static final Duration DEADLINE = Duration.ofSeconds(10);
  static final Duration POLL = Duration.ofMillis(5);

  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final Object overlapGuard = new Object();
  private boolean inCall;
  private boolean overlapped;

  @Override
  public void onOpen() {
    record("open");
  }

  @Override
  public void onText(String text) {
    record("text:" + text);
  }

  @Override
  public void onBinary(ByteBuffer data) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    record("binary:" + HexFormat.of().formatHex(bytes));
  }

  @Override
  public void onError(Throwable error) {
    errors.add(error);
    record("error");
  }

  @Override
  public void onClose(int code, String reason) {
    record("close " + code + " " + reason);
  }

  /** Waits until an event equal to this one was recorded. */
  void awaitEvent(String event) {
    await().pollInterval(POLL).atMost(DEADLINE).until(() -> events.contains(event));
  }

  /** Waits until some close was recorded, and returns it. */
  String awaitClose() {
    await().pollInterval(POLL).atMost(DEADLINE).until(() -> events.stream().anyMatch(e -> e.startsWith("close ")));
    return events.stream().filter(e -> e.startsWith("close ")).findFirst().orElseThrow();
  }

  boolean overlapped() {
    synchronized (overlapGuard) {
      return overlapped;
    }
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private void record(String event) {
    synchronized (overlapGuard) {
      overlapped |= inCall;
      inCall = true;
    }
    events.add(event);
    synchronized (overlapGuard) {
      inCall = false;
    }
  }
}
