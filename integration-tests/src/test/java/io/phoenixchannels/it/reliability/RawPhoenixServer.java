package io.phoenixchannels.it.reliability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Phoenix endpoint written straight on a {@link ServerSocket}: the WebSocket handshake and framing by hand, so
 * that a test can send what no WebSocket library would (text frames that are not UTF-8, a frame announcing 100 MB,
 * any byte sequence), and so that it keeps nothing of a connection once it closed (the leak test measures the
 * client's heap, not a recording server's). It answers heartbeats, joins ({@code ok}), leaves ({@code ok}, then
 * {@code phx_close}) and any other event (an {@code ok} reply with the payload), one thread per connection.
 */
final class RawPhoenixServer implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  static final int TEXT = 1;
  static final int BINARY = 2;
  private static final int CLOSE = 8;
  private static final int PING = 9;

  private final ServerSocket server;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private volatile Connection last;
  private volatile boolean closed;

  RawPhoenixServer() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "raw-phoenix-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The socket endpoint, {@code ws://127.0.0.1:<port>/socket}. */
  String url() {
    return "ws://127.0.0.1:" + server.getLocalPort() + "/socket";
  }

  /** How many connections completed the handshake so far. */
  int connectionCount() {
    return connectionCount.get();
  }

  /** How many connections are open now. */
  int openConnections() {
    return open.size();
  }

  /** The connection that completed its handshake last, open or not; {@code null} before the first. */
  Connection lastConnection() {
    return last;
  }

  /** The next connection that opened and was not taken yet. */
  Connection takeConnection(Duration timeout) throws InterruptedException {
    Connection connection = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (connection == null) {
      throw new AssertionError("no connection within " + timeout.toMillis() + " ms");
    }
    return connection;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Connection connection : open) {
      connection.socket.close();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Connection connection = new Connection(socket);
      Thread thread = new Thread(connection::serve, "raw-phoenix-connection-" + connectionCount.get());
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** One client connection: its reader thread answers the protocol; any thread may send through it. */
  final class Connection {
    private final Socket socket;
    private final Map<String, String> joined = new ConcurrentHashMap<>();
    private OutputStream out;

    Connection(Socket socket) {
      this.socket = socket;
    }

    /** The topics joined on this connection, with their join_refs. */
    Map<String, String> joinedTopics() {
      return Map.copyOf(joined);
    }

    boolean isOpen() {
      return !socket.isClosed();
    }

    // ---- sending ----

    /** Sends a text frame whose payload is these bytes, UTF-8 or not. */
    void sendText(byte[] payload) throws IOException {
      sendFrame(TEXT, payload);
    }

    /** Sends a V2 frame written by Jackson. */
    void sendJson(JsonNode frame) throws IOException {
      sendText(MAPPER.writeValueAsBytes(frame));
    }

    void sendBinary(byte[] payload) throws IOException {
      sendFrame(BINARY, payload);
    }

    /** Writes bytes as they are: a whole frame, several, or a broken one. */
    synchronized void sendRaw(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    /** Sends one unmasked, final frame. */
    synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
      byte[] header = header(opcode, payload.length);
      byte[] frame = Arrays.copyOf(header, header.length + payload.length);
      System.arraycopy(payload, 0, frame, header.length, payload.length);
      // One write per frame: header and payload in separate segments would meet Nagle and delayed ACKs.
      out.write(frame);
      out.flush();
    }

    /**
     * Starts a single text frame that announces {@code declaredLength} bytes and streams its payload in 64 KiB
     * chunks until all are sent or the client drops the connection, without ever holding the payload.
     *
     * @return how many payload bytes went out before the client stopped taking them
     */
    synchronized long streamHugeTextFrame(long declaredLength) {
      long written = 0;
      byte[] chunk = new byte[64 * 1024];
      Arrays.fill(chunk, (byte) 'x');
      try {
        out.write(header(TEXT, declaredLength));
        while (written < declaredLength) {
          int size = (int) Math.min(chunk.length, declaredLength - written);
          out.write(chunk, 0, size);
          written += size;
        }
        out.flush();
      } catch (IOException clientGone) {
        // The client aborted the connection: what it refused is the point.
      }
      return written;
    }

    // ---- the protocol ----

    void serve() {
      open.add(this);
      try (socket) {
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        out = socket.getOutputStream();
        if (!handshake(in)) {
          return;
        }
        connectionCount.incrementAndGet();
        last = this;
        accepted.add(this);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int messageOpcode = 0;
        while (true) {
          int first = in.read();
          if (first < 0) {
            return;
          }
          int opcode = first & 0x0f;
          boolean fin = (first & 0x80) != 0;
          byte[] payload = readPayload(in);
          if (opcode == CLOSE) {
            sendFrame(CLOSE, payload.length >= 2 ? Arrays.copyOf(payload, 2) : new byte[0]);
            return;
          }
          if (opcode == PING) {
            sendFrame(10, payload);
            continue;
          }
          if (opcode != 0) {
            messageOpcode = opcode;
            message.reset();
          }
          message.writeBytes(payload);
          if (fin && messageOpcode == TEXT) {
            handle(MAPPER.readTree(message.toByteArray()));
          }
        }
      } catch (IOException e) {
        // The client went away.
      } finally {
        open.remove(this);
        accepted.remove(this);
        if (last == this) {
          last = null; // keep nothing of a closed connection
        }
      }
    }

    private boolean handshake(InputStream in) throws IOException {
      String request = readHeaders(in);
      String key = null;
      for (String line : request.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
          key = line.substring(colon + 1).trim();
        }
      }
      if (key == null) {
        out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return false;
      }
      String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n";
      out.write(response.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return true;
    }

    private void handle(JsonNode frame) throws IOException {
      String joinRef = frame.get(0).isNull() ? null : frame.get(0).asText();
      String ref = frame.get(1).asText();
      String topic = frame.get(2).asText();
      String event = frame.get(3).asText();
      if (topic.equals("phoenix") && event.equals("heartbeat")) {
        reply(null, ref, topic, NODES.objectNode());
      } else if (event.equals("phx_join")) {
        joined.put(topic, joinRef);
        reply(joinRef, ref, topic, NODES.objectNode());
      } else if (event.equals("phx_leave")) {
        joined.remove(topic);
        reply(joinRef, ref, topic, NODES.objectNode());
        sendJson(frame(joinRef, joinRef, topic, "phx_close", NODES.objectNode()));
      } else {
        reply(joinRef, ref, topic, frame.get(4));
      }
    }

    private void reply(String joinRef, String ref, String topic, JsonNode response) throws IOException {
      ObjectNode payload = NODES.objectNode().put("status", "ok");
      payload.set("response", response);
      sendJson(frame(joinRef, ref, topic, "phx_reply", payload));
    }
  }

  /** A V2 frame, built with Jackson. */
  static ArrayNode frame(String joinRef, String ref, String topic, String event, JsonNode payload) {
    ArrayNode frame = NODES.arrayNode().add(joinRef).add(ref).add(topic).add(event);
    frame.add(payload);
    return frame;
  }

  static byte[] json(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] header(int opcode, long length) {
    ByteArrayOutputStream header = new ByteArrayOutputStream(10);
    header.write(0x80 | opcode);
    if (length < 126) {
      header.write((int) length);
    } else if (length <= 0xffff) {
      header.write(126);
      header.write((int) (length >>> 8));
      header.write((int) length);
    } else {
      header.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        header.write((int) (length >>> shift));
      }
    }
    return header.toByteArray();
  }

  /** Reads a client frame's length, mask and payload (clients always mask). */
  private static byte[] readPayload(InputStream in) throws IOException {
    int second = readByte(in);
    long length = second & 0x7f;
    if (length == 126) {
      length = (readByte(in) << 8) | readByte(in);
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | readByte(in);
      }
    }
    if (length > 16 * 1024 * 1024) {
      throw new IOException("a client frame of " + length + " bytes; this test server takes up to 16 MiB");
    }
    byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
    byte[] payload = in.readNBytes((int) length);
    if (payload.length < length) {
      throw new EOFException();
    }
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i % 4];
    }
    return payload;
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  private static String readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = readByte(in);
      headers.write(b);
      if (b == '\r') {
        matched = matched == 2 ? 3 : 1;
      } else {
        matched = b == '\n' && (matched == 1 || matched == 3) ? matched + 1 : 0;
      }
      if (headers.size() > 64 * 1024) {
        throw new IOException("upgrade request headers over 64 KiB");
      }
    }
    return headers.toString(StandardCharsets.US_ASCII);
  }

  private static String accept(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-1", e);
    }
  }
}
