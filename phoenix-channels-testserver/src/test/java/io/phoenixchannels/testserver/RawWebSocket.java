package io.phoenixchannels.testserver;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal WebSocket client over a plain socket, for tests that must send what real clients cannot (a {@code /}
 * in a subprotocol, malformed frames) and see the exact handshake answer. One reader thread per connection.
 */
final class RawWebSocket implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One frame from the server. */
  record Frame(int opcode, byte[] data) {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PONG = 10;
    /** Not a real opcode: the connection ended without a close frame. */
    static final int EOF = -1;

    String text() {
      return new String(data, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return data.length >= 2 ? ((data[0] & 0xff) << 8) | (data[1] & 0xff) : 1005;
    }

    String closeReason() {
      return data.length > 2 ? new String(data, 2, data.length - 2, StandardCharsets.UTF_8) : "";
    }

    @Override
    public String toString() {
      return switch (opcode) {
        case TEXT -> "text " + text();
        case BINARY -> "binary " + Base64.getEncoder().encodeToString(data);
        case CLOSE -> "close " + closeCode();
        case EOF -> "EOF";
        default -> "opcode " + opcode;
      };
    }
  }

  /** The HTTP answer to an upgrade request; {@code body} is that of a refusal (empty for a 101). */
  record Handshake(int status, Map<String, String> headers, String body, RawWebSocket socket) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private volatile boolean closeSent;

  private RawWebSocket(Socket socket, InputStream in) throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    Thread reader = new Thread(this::readLoop, "raw-websocket-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Sends an upgrade request: the standard headers, then {@code extraHeaders} (a {@code Sec-WebSocket-Key} among
   * them replaces the generated one).
   */
  static Handshake connect(int port, String pathAndQuery, Map<String, String> extraHeaders) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "127.0.0.1:" + port);
    headers.put("Connection", "Upgrade");
    headers.put("Upgrade", "websocket");
    headers.put("Sec-WebSocket-Version", "13");
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    headers.put("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(key));
    extraHeaders.forEach((name, value) -> {
      if (!name.equalsIgnoreCase("Host")) {
        headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        headers.put(name, value);
      }
    });
    StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n");
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();

    InputStream in = socket.getInputStream();
    String head = readHead(in);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> responseHeaders = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        responseHeaders.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    if (status != 101) {
      String length = responseHeaders.get("content-length");
      byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
      socket.close();
      return new Handshake(status, responseHeaders, new String(body, StandardCharsets.UTF_8), null);
    }
    socket.setSoTimeout(0);
    return new Handshake(status, responseHeaders, "", new RawWebSocket(socket, in));
  }

  void sendText(String text) throws IOException {
    send(Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A text frame with these exact bytes, valid UTF-8 or not. */
  void sendTextBytes(byte[] data) throws IOException {
    send(Frame.TEXT, data);
  }

  void sendBinary(byte[] data) throws IOException {
    send(Frame.BINARY, data);
  }

  /** Starts a close handshake; a close from the server is answered on its own, as a client must. */
  void sendClose(int code) throws IOException {
    sendClose(code, "");
  }

  /** Starts a close handshake with a reason. */
  void sendClose(int code, String reason) throws IOException {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    sendClosePayload(payload);
  }

  /** Starts a close handshake with exactly this payload (empty: no code at all). */
  void sendClosePayload(byte[] payload) throws IOException {
    closeSent = true;
    send(Frame.CLOSE, payload);
  }

  /** Sends a ping; the server's pong arrives as a {@code PONG} frame. */
  void sendPing(byte[] data) throws IOException {
    send(9, data);
  }

  /**
   * The next data, pong or close frame (pings are answered and skipped); an {@code EOF} frame when the link ended.
   */
  Frame take(Duration timeout) throws InterruptedException {
    Frame frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      throw new AssertionError("no frame from the server within " + timeout.toMillis() + " ms");
    }
    return frame;
  }

  /** Waits for the server's close frame (or the end of the link) and returns its code (1006 for a bare end). */
  int awaitClose(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Frame frame = frames.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      if (frame == null) {
        throw new AssertionError("the server did not close within " + timeout.toMillis() + " ms");
      }
      if (frame.opcode() == Frame.CLOSE) {
        return frame.closeCode();
      }
      if (frame.opcode() == Frame.EOF) {
        return 1006;
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private synchronized void send(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length);
    } else {
      frame.write(0x80 | 127);
      long length = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (length >> shift));
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    frame.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  private void readLoop() {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    int messageOpcode = 0;
    try {
      while (true) {
        int b0 = readByte();
        int b1 = readByte();
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0f;
        long length = b1 & 0x7f;
        if (length == 126) {
          length = ((long) readByte() << 8) | readByte();
        } else if (length == 127) {
          length = 0;
          for (int i = 0; i < 8; i++) {
            length = (length << 8) | readByte();
          }
        }
        byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] data = in.readNBytes((int) length);
        if (data.length < length) {
          throw new EOFException();
        }
        if (mask != null) {
          for (int i = 0; i < data.length; i++) {
            data[i] ^= mask[i % 4];
          }
        }
        if (opcode == 9) {
          send(10, data);
          continue;
        }
        if (opcode >= 8) {
          frames.add(new Frame(opcode, data));
          if (opcode == Frame.CLOSE) {
            if (!closeSent) {
              send(Frame.CLOSE, data.length >= 2 ? new byte[] {data[0], data[1]} : new byte[0]);
            }
            return;
          }
          continue;
        }
        if (opcode != 0) {
          messageOpcode = opcode;
        }
        message.write(data, 0, data.length);
        if (fin) {
          frames.add(new Frame(messageOpcode, message.toByteArray()));
          message.reset();
        }
      }
    } catch (IOException e) {
      frames.add(new Frame(Frame.EOF, new byte[0]));
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed before the end of the response head: " + head);
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
