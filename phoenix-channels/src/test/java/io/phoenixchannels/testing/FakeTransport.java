package io.phoenixchannels.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport factory for unit tests: records every connection the socket opens and every frame it sends, and
 * lets the test play the server (open, receive, close, fail). Used with a {@link io.phoenixchannels.ManualEventLoop}
 * everything happens on the test thread.
 */
public final class FakeTransport implements Transport.Factory {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<Connection> connections = new ArrayList<>();
  private boolean confirmCloses = true;

  @Override
  public Connection open(TransportRequest request, Transport.Listener listener) {
    Connection connection = new Connection(request, listener, confirmCloses);
    connections.add(connection);
    return connection;
  }

  /** Makes later connections leave client closes unanswered, like a dead peer. */
  public FakeTransport withoutCloseConfirmation() {
    confirmCloses = false;
    return this;
  }

  public List<Connection> connections() {
    return connections;
  }

  public int count() {
    return connections.size();
  }

  /** The connection opened last. */
  public Connection last() {
    if (connections.isEmpty()) {
      throw new AssertionError("the socket opened no transport");
    }
    return connections.get(connections.size() - 1);
  }

  /** One simulated connection. */
  public static final class Connection implements Transport {
    private final TransportRequest request;
    private final Transport.Listener listener;
    private final boolean confirmCloses;
    private final List<Object> sent = new ArrayList<>();
    private boolean closed;
    private boolean aborted;
    private int closeCode;
    private String closeReason;
    private boolean heartbeats = true;
    private volatile boolean readingPaused;
    private volatile int pauses;
    private volatile int resumes;
    private volatile long queuedBytes;

    Connection(TransportRequest request, Transport.Listener listener, boolean confirmCloses) {
      this.request = request;
      this.listener = listener;
      this.confirmCloses = confirmCloses;
    }

    // ---- the server's side ----

    public Connection open() {
      listener.onOpen();
      return this;
    }

    public void receive(String text) {
      listener.onText(text);
    }

    public void receiveBinary(byte[] bytes) {
      listener.onBinary(ByteBuffer.wrap(bytes));
    }

    /** The server closes the connection. */
    public void serverClose(int code, String reason) {
      listener.onClose(code, reason);
    }

    /** The connection fails: an error, then a close with 1006, as transports report it. */
    public void fail(Throwable error) {
      listener.onError(error);
      listener.onClose(CloseEvent.ABNORMAL, "");
    }

    /** Makes this connection a long-poll-like one, which takes no heartbeats. */
    public Connection withoutHeartbeats() {
      heartbeats = false;
      return this;
    }

    /** Makes {@link #queuedBytes()} report this many bytes, as a transport whose peer does not read. */
    public void queue(long bytes) {
      queuedBytes = bytes;
    }

    // ---- what the client did ----

    public boolean isReadingPaused() {
      return readingPaused;
    }

    public int pauses() {
      return pauses;
    }

    public int resumes() {
      return resumes;
    }

    public TransportRequest request() {
      return request;
    }

    public List<String> sentTexts() {
      List<String> texts = new ArrayList<>();
      for (Object frame : sent) {
        if (frame instanceof String text) {
          texts.add(text);
        }
      }
      return texts;
    }

    /** Every frame sent: strings for text frames, byte arrays for binary ones. */
    public List<Object> sentFrames() {
      return sent;
    }

    /** The text frames sent, parsed as JSON. */
    public List<JsonNode> sentJson() {
      List<JsonNode> nodes = new ArrayList<>();
      for (String text : sentTexts()) {
        try {
          nodes.add(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
          throw new AssertionError("the client sent invalid JSON: " + text, e);
        }
      }
      return nodes;
    }

    /** The last V2 frame sent, parsed. */
    public JsonNode lastSent() {
      List<JsonNode> all = sentJson();
      if (all.isEmpty()) {
        throw new AssertionError("the client sent nothing on this connection");
      }
      return all.get(all.size() - 1);
    }

    /** The V2 frames sent with this event (index 3), parsed. */
    public List<JsonNode> sentWithEvent(String event) {
      return sentJson().stream().filter(frame -> frame.path(3).asText().equals(event)).toList();
    }

    public boolean isClosed() {
      return closed;
    }

    public boolean isAborted() {
      return aborted;
    }

    public int closeCode() {
      return closeCode;
    }

    public String closeReason() {
      return closeReason;
    }

    // ---- Transport, as the socket sees it ----

    @Override
    public void sendText(String text) {
      if (closed || aborted) {
        throw new AssertionError("the socket sent on a closed transport: " + text);
      }
      sent.add(text);
    }

    @Override
    public void sendBinary(ByteBuffer data) {
      if (closed || aborted) {
        throw new AssertionError("the socket sent a binary frame on a closed transport");
      }
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      sent.add(bytes);
    }

    @Override
    public void close(int code, String reason) {
      closed = true;
      closeCode = code;
      closeReason = reason;
      if (confirmCloses) {
        listener.onClose(code, reason);
      }
    }

    @Override
    public void abort() {
      aborted = true;
    }

    @Override
    public boolean needsHeartbeat() {
      return heartbeats;
    }

    @Override
    public void pauseReading() {
      readingPaused = true;
      pauses++;
    }

    @Override
    public void resumeReading() {
      readingPaused = false;
      resumes++;
    }

    @Override
    public long queuedBytes() {
      return queuedBytes;
    }
  }
}
