package io.phoenixchannels.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.Message;
import io.phoenixchannels.internal.protocol.BinaryFrames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The frames a long-poll transport has to POST, in order, and the batch of the POST in flight.
 *
 * <p>Phoenix splits a body of {@code application/x-ndjson} into lines and takes a line that starts with {@code [} as
 * a text frame (a V2 array) and any other line as a binary frame in Base64; a body of any other type is one text
 * frame. So V2 text frames and binary frames share NDJSON batches, while a frame that cannot be such a line (a V1
 * object, or JSON with a line break in it) goes alone, as {@code application/json}: the server answers a V1 object
 * in a batch with HTTP 500, taking it for bad Base64.
 *
 * <p>Lives on the transport's event loop; not thread-safe.
 */
final class LongPollOutbox {
  /** The body type of a batch of frames, one a line. */
  static final String NDJSON = "application/x-ndjson";
  /** The body type of a frame sent alone. */
  static final String JSON = "application/json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final int maxLines;
  private final ArrayDeque<Line> queued = new ArrayDeque<>();
  private List<Line> inFlight = List.of();
  private long queuedChars;

  /** One frame as it travels: a text frame as is, a binary frame as Base64. */
  private record Line(String text, boolean binary) {
    /** Whether Phoenix reads this frame back from an NDJSON line. */
    boolean fitsABatch() {
      return binary || (text.startsWith("[") && text.indexOf('\n') < 0 && text.indexOf('\r') < 0);
    }
  }

  /**
   * The body of one POST.
   *
   * @param contentType {@link #NDJSON} or {@link #JSON}
   * @param body the frames, one a line, or the one frame
   */
  record Request(String contentType, String body) {}

  LongPollOutbox(int maxLines) {
    this.maxLines = maxLines;
  }

  void addText(String text) {
    add(new Line(text, false));
  }

  void addBinary(ByteBuffer data) {
    ByteBuffer view = data.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    add(new Line(Base64.getEncoder().encodeToString(bytes), true));
  }

  private void add(Line line) {
    queued.add(line);
    queuedChars += line.text.length();
  }

  boolean isEmpty() {
    return queued.isEmpty();
  }

  /** Whether a POST is in flight: the next waits for its answer, so that the server takes frames in order. */
  boolean awaitingAck() {
    return !inFlight.isEmpty();
  }

  /** The characters of the frames not yet handed to the HTTP client (a binary frame counts its Base64). */
  long queuedChars() {
    return queuedChars;
  }

  /**
   * Takes the next POST's frames out of the queue: the run of batchable frames at its head (at most {@code
   * maxLines}), or the frame at its head alone when it cannot share a batch.
   */
  Request next() {
    List<Line> batch = new ArrayList<>(Math.min(queued.size(), maxLines));
    if (!queued.peek().fitsABatch()) {
      batch.add(queued.poll());
    } else {
      while (batch.size() < maxLines && !queued.isEmpty() && queued.peek().fitsABatch()) {
        batch.add(queued.poll());
      }
    }
    batch.forEach(line -> queuedChars -= line.text.length());
    inFlight = batch;
    if (batch.size() == 1 && !batch.get(0).fitsABatch()) {
      return new Request(JSON, batch.get(0).text);
    }
    StringBuilder body = new StringBuilder();
    for (Line line : batch) {
      if (body.length() > 0) {
        body.append('\n');
      }
      body.append(line.text);
    }
    return new Request(NDJSON, body.toString());
  }

  /** The POST in flight was answered: the server took its frames. */
  void acknowledged() {
    inFlight = List.of();
  }

  /**
   * The refs of the frames the server provably never took, in order, and forgets every frame.
   *
   * @param inFlightRefused whether the server refused the POST in flight (then it took none of its frames); when
   *     false, their fate is unknown and they are left out
   * @return the refs; frames without a ref, or whose ref cannot be read, are left out
   */
  List<String> drainUndelivered(boolean inFlightRefused) {
    List<String> refs = new ArrayList<>();
    if (inFlightRefused) {
      inFlight.forEach(line -> addRef(refs, line));
    }
    queued.forEach(line -> addRef(refs, line));
    clear();
    return refs;
  }

  void clear() {
    queued.clear();
    queuedChars = 0;
    inFlight = List.of();
  }

  private static void addRef(List<String> refs, Line line) {
    String ref = line.binary ? binaryRef(line.text) : textRef(line.text);
    if (ref != null) {
      refs.add(ref);
    }
  }

  /** The ref of a V2 array or a V1 object. */
  private static String textRef(String text) {
    JsonNode frame;
    try {
      frame = MAPPER.readTree(text);
    } catch (IOException notJson) {
      return null;
    }
    JsonNode ref = frame == null ? null : frame.isArray() ? frame.get(1) : frame.get("ref");
    return ref != null && ref.isTextual() ? ref.asText() : null;
  }

  /** The ref of a V2 binary push. */
  private static String binaryRef(String base64) {
    try {
      Message push = BinaryFrames.decodeClientPush(ByteBuffer.wrap(Base64.getDecoder().decode(base64)));
      return push.ref();
    } catch (RuntimeException notAPush) {
      return null;
    }
  }
}
