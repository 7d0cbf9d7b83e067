package io.phoenixchannels.internal.transport;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.transport.AuthTokenSubprotocols;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every WebSocket transport shares, whatever library talks to the network: it reports to the socket's
 * listener (exactly one close, after at most one error, nothing after an abort), checks the auth token's
 * subprotocol, enforces the inbound frame limit, names connection failures, and keeps the state of paused reading.
 * A subclass is the code that talks to its library: it connects, sends, and calls the reporting methods here
 * (public for the handlers of the subclass's own module; the package is exported to the transport modules only)
 * with what the library reports.
 *
 * <h2>Threads</h2>
 * The socket calls the {@link Transport} methods on its event loop; the library calls the subclass on its own
 * threads, which call this class's reporting methods one at a time, in order. {@link #pauseReading()} may also be
 * called on the library's thread while it delivers a frame, from inside the listener: the socket decides to pause
 * as it takes the frame, so that no more than its window piles up behind a slow application.
 */
public abstract class WebSocketTransportBase implements Transport {
  /** The longest close reason a close frame can carry, in UTF-8 bytes (RFC 6455, 5.5). */
  private static final int MAX_CLOSE_REASON_BYTES = 123;

  private final Transport.Listener listener;
  private final URI uri;
  private final TransportRequest request;
  private final boolean tokenSent;
  private final int maxFrameBytes;
  private final AtomicBoolean finished = new AtomicBoolean();
  private final Object readLock = new Object();
  private boolean readingPaused;
  private boolean readOwed;
  private volatile boolean aborted;
  private volatile boolean opened;

  /**
   * Sets up the shared state for one connection attempt.
   *
   * @param request the socket's request
   * @param listener the socket's listener
   */
  protected WebSocketTransportBase(TransportRequest request, Transport.Listener listener) {
    this.listener = listener;
    this.request = request;
    this.uri = request.uri("websocket", true);
    this.tokenSent = request.authToken() != null;
    this.maxFrameBytes = request.maxInboundFrameBytes();
  }

  /** @return the URL of the upgrade, with the query */
  public final URI uri() {
    return uri;
  }

  /** @return the upgrade's URL without its query, for messages */
  public final String where() {
    return ConnectionErrors.where(uri);
  }

  /** @return the socket's request */
  public final TransportRequest request() {
    return request;
  }

  /** @return true when an auth token goes out with the upgrade */
  public final boolean tokenSent() {
    return tokenSent;
  }

  /** @return the listener, for the frames the subclass delivers itself */
  public final Transport.Listener listener() {
    return listener;
  }

  /** @return true once the socket aborted this transport */
  public final boolean isAborted() {
    return aborted;
  }

  /** @return true once the upgrade succeeded and the open was reported */
  public final boolean isOpened() {
    return opened;
  }

  /** @return true once the close (or the abort) was reported */
  public final boolean isFinished() {
    return finished.get();
  }

  /** Queues a text frame; called on the event loop. */
  @Override
  public final void sendText(String text) {
    queue(text, text.length());
  }

  /** Queues a binary frame; called on the event loop. */
  @Override
  public final void sendBinary(ByteBuffer data) {
    queue(data, data.remaining());
  }

  /** Queues a close frame after the frames queued before; a reason too long for a close frame is left out. */
  @Override
  public final void close(int code, String reason) {
    queue(new CloseFrame(code, closeReason(reason)), 0);
  }

  /**
   * Queues one frame for the library, without blocking; called on the event loop.
   *
   * @param frame a {@code String} (text), a {@code ByteBuffer} (binary) or a {@link CloseFrame}
   * @param bytes its size for {@link #queuedBytes()}: chars for text (exact for ASCII), bytes for binary, 0 for a
   *     close
   */
  protected abstract void queue(Object frame, long bytes);

  /**
   * A close frame waiting its turn.
   *
   * @param code the close code
   * @param reason the reason, short enough for a close frame
   */
  public record CloseFrame(int code, String reason) {}

  /** Drops the connection at once; the socket expects nothing more. Called on the event loop. */
  @Override
  public final void abort() {
    aborted = true;
    finished.set(true);
    wakeReader();
    dropConnection();
  }

  /**
   * Drops the library's connection without a close handshake. Called on any thread, possibly more than once, and
   * before the library has a connection (the subclass then drops it when it comes).
   */
  protected abstract void dropConnection();

  /**
   * The upgrade succeeded: fails it if a token was sent and the server did not read it, else reports the open.
   *
   * @param selectedSubprotocol the server's {@code Sec-WebSocket-Protocol}, or {@code null}
   * @return true when the connection is open
   */
  public final boolean upgraded(String selectedSubprotocol) {
    if (aborted) {
      dropConnection();
      return false;
    }
    if (tokenSent && !AuthTokenSubprotocols.accepted(selectedSubprotocol)) {
      dropConnection();
      tokenNotAccepted();
      return false;
    }
    opened = true; // before the socket hears of it: its first sends follow at once
    listener.onOpen();
    return true;
  }

  /** The upgrade succeeded but the server did not read the token (it selected no token subprotocol). */
  public final void tokenNotAccepted() {
    fail(ConnectionErrors.tokenNotAccepted(), CloseEvent.ABNORMAL, "auth token not accepted");
  }

  /**
   * The connection could not be made; reports it with what happened.
   *
   * @param error what the library reported
   * @param tlsHint how to fix trust with this transport
   */
  public final void connectFailed(Throwable error, String tlsHint) {
    if (!aborted) {
      fail(ConnectionErrors.connectFailed(uri, error, request.connectTimeout(), tlsHint), CloseEvent.ABNORMAL, "");
    }
  }

  /**
   * The server answered the upgrade with this status.
   *
   * @param status the HTTP status
   * @param cause what the library reported, or {@code null}
   */
  public final void upgradeRefused(int status, Throwable cause) {
    if (!aborted) {
      fail(ConnectionErrors.upgradeRefused(uri, status, cause), CloseEvent.ABNORMAL, "");
    }
  }

  /**
   * The open connection broke.
   *
   * @param error what the library reported
   */
  public final void broken(Throwable error) {
    if (!aborted) {
      fail(ConnectionErrors.broken(error), CloseEvent.ABNORMAL, "");
    }
  }

  /**
   * Reports a failure and the close after it, once.
   *
   * @param error what failed
   * @param code the close code
   * @param reason the close reason
   */
  public final void fail(Throwable error, int code, String reason) {
    if (finished.compareAndSet(false, true)) {
      wakeReader();
      listener.onError(error);
      listener.onClose(code, reason);
    }
  }

  /**
   * Reports the close, once.
   *
   * @param code the close code
   * @param reason the close reason
   */
  public final void closed(int code, String reason) {
    if (finished.compareAndSet(false, true)) {
      wakeReader();
      listener.onClose(code, reason == null ? "" : reason);
    }
  }

  /**
   * Hands a whole text message to the socket, unless the transport is finished or the message is over the limit.
   *
   * @param text the message
   * @return false when it was not delivered (over the limit: the transport has failed)
   */
  public final boolean deliverText(String text) {
    if (finished.get()) {
      return false;
    }
    // A char is one to three UTF-8 bytes (a surrogate pair four for two chars): count only when it matters.
    if ((long) text.length() * 3 > maxFrameBytes && tooLarge(utf8Length(text))) {
      return false;
    }
    listener.onText(text);
    return true;
  }

  /**
   * Hands a whole binary message to the socket, unless the transport is finished or it is over the limit.
   *
   * @param data the message; the socket owns it
   * @return false when it was not delivered
   */
  public final boolean deliverBinary(ByteBuffer data) {
    if (finished.get() || tooLarge(data.remaining())) {
      return false;
    }
    listener.onBinary(data);
    return true;
  }

  /**
   * Fails the connection with 1009 when a message passes the limit: the subclass's
   * {@link #closeTooLarge()} ends the connection, the socket hears a {@link ProtocolException}.
   *
   * @param bytes the message's size so far, in bytes
   * @return true when it is over the limit
   */
  public final boolean tooLarge(long bytes) {
    if (bytes <= maxFrameBytes) {
      return false;
    }
    if (finished.get()) {
      return true;
    }
    closeTooLarge();
    failTooLarge("the server sent a frame of at least " + bytes + " bytes, over the limit of " + maxFrameBytes);
    return true;
  }

  /**
   * Reports a message over the limit that the library refused itself, before its size was known, after the
   * subclass has ended the connection with 1009.
   */
  public final void tooLargeClosed() {
    failTooLarge("the server sent a frame over the limit of " + maxFrameBytes + " bytes");
  }

  private void failTooLarge(String what) {
    fail(new ProtocolException(what + " (PhoenixSocket.Builder.maxInboundFrameBytes); closing with 1009"),
        CloseEvent.MESSAGE_TOO_BIG, "message too big");
  }

  /** Ends the connection after a message over the limit: a close frame 1009 where the library can, else a drop. */
  protected void closeTooLarge() {
    dropConnection();
  }

  /**
   * Stops taking frames until {@link #resumeReading()}: the subclass's {@link #readingPaused()} tells the library,
   * and {@link #readNext()} holds the next read back.
   */
  @Override
  public final void pauseReading() {
    synchronized (readLock) {
      if (readingPaused) {
        return;
      }
      readingPaused = true;
      readingPaused();
    }
  }

  /** Takes frames again: the read held back by {@link #readNext()}, if any, goes out now. */
  @Override
  public final void resumeReading() {
    boolean owed;
    synchronized (readLock) {
      if (!readingPaused) {
        return;
      }
      readingPaused = false;
      owed = readOwed;
      readOwed = false;
      readLock.notifyAll();
      readingResumed();
    }
    if (owed) {
      requestRead();
    }
  }

  /** Tells the library to stop reading, for libraries that can; called under a lock, must not block. */
  protected void readingPaused() {}

  /** Tells the library to read again, for libraries that can; called under a lock, must not block. */
  protected void readingResumed() {}

  /** Asks the library for the next frame, for libraries that read on demand. */
  protected void requestRead() {}

  /**
   * After a frame was delivered: asks for the next one through {@link #requestRead()}, or, while reading is paused,
   * owes it to {@link #resumeReading()}.
   */
  protected final void readNext() {
    synchronized (readLock) {
      if (readingPaused && !finished.get()) {
        readOwed = true;
        return;
      }
    }
    requestRead();
  }

  /**
   * For libraries that cannot pause: holds the calling thread (the library's own reader, never the socket's event
   * loop) while reading is paused, until it is resumed or the transport finishes.
   *
   * @return false if the thread was interrupted
   */
  protected final boolean awaitReadingResumed() {
    synchronized (readLock) {
      while (readingPaused && !finished.get()) {
        try {
          readLock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /** @return true while reading is paused */
  protected final boolean isReadingPaused() {
    synchronized (readLock) {
      return readingPaused;
    }
  }

  private void wakeReader() {
    synchronized (readLock) {
      readLock.notifyAll();
    }
  }

  /**
   * A close reason a close frame can carry: a longer one is left out rather than failing the close.
   *
   * @param reason the reason, possibly {@code null}
   * @return the reason, or the empty string
   */
  public static String closeReason(String reason) {
    return reason == null || utf8Length(reason) > MAX_CLOSE_REASON_BYTES ? "" : reason;
  }

  /**
   * Counts the UTF-8 bytes of some text without encoding it.
   *
   * @param chars the text
   * @return its length in UTF-8
   */
  public static long utf8Length(CharSequence chars) {
    long bytes = 0;
    int length = chars.length();
    for (int i = 0; i < length; i++) {
      char c = chars.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < length) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
