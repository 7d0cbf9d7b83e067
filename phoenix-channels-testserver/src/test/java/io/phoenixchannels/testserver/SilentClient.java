package io.phoenixchannels.testserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client that upgrades, then does only what the test tells it: in particular it does not answer a close
 * frame until told to, which shows what the server does meanwhile.
 */
final class SilentClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;

  private SilentClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Connects to {@code /socket/websocket?vsn=2.0.0} and reads the 101 answer. */
  static SilentClient connect(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    String upgrade = "GET /socket/websocket?vsn=2.0.0 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
        + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    socket.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (head.indexOf("\r\n\r\n") < 0) {
      int next = in.read();
      if (next < 0) {
        throw new IOException("the server closed the upgrade: " + head);
      }
      head.append((char) next);
    }
    assertThat(head.toString()).startsWith("HTTP/1.1 101");
    return new SilentClient(socket);
  }

  /** Reads the next frame, which must be a close frame, and returns its code. */
  int readCloseFrame() throws IOException {
    int first = in.readUnsignedByte();
    assertThat(first).as("a final close frame's first byte").isEqualTo(0x88);
    int length = in.readUnsignedByte();
    assertThat(length).as("an unmasked close payload of at most 125 bytes").isBetween(2, 125);
    byte[] payload = new byte[length];
    in.readFully(payload);
    return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
  }

  /** Answers a close with the same code, masked as a client must (with a zero mask, which leaves it readable). */
  void answerClose(int code) throws IOException {
    socket.getOutputStream().write(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, (byte) (code >> 8),
        (byte) code});
  }

  /** Reads until the server ends the TCP connection; true if it did (rather than sending more). */
  boolean readsEndOfStream() throws IOException {
    return in.read() < 0;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
