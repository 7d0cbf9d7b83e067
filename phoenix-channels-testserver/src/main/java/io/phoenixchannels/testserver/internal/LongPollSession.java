package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One long-poll session, Phoenix.Transports.LongPoll.Server: buffers the messages for the client and hands them to
 * the next poll, holds an idle poll for the window and answers it with 204, and ends when no poll came for a
 * window. As in Phoenix, a session the server ends (a disconnect by socket id, a close) leaves a held poll waiting
 * until its window passes, so the client learns of it from a POST (410) or from the poll after that one; a server
 * stop answers held polls at once. A binary frame travels as the string of its bytes, and one that is not UTF-8
 * crashes the poll that would carry it: HTTP 500, and the messages queued with it are lost. Thread-safe.
 */
final class LongPollSession implements Wire {
  private final ServerCore core;
  private final String token;
  private final long windowNanos;
  private final Consumer<LongPollSession> onEnd;
  private final ArrayDeque<String> buffer = new ArrayDeque<>();
  /** Whether the buffer holds a binary frame that is not UTF-8, which JSON cannot carry. */
  private boolean unencodable;
  private ConnectionImpl connection;
  private Poll waiting;
  private boolean ended;
  private long lastPollNanos;
  private ScheduledFuture<?> inactivityCheck;

  /** A poll held open: its response, and the timer that answers it with 204 at the end of the window. */
  private static final class Poll {
    final Response response;
    final Callback callback;
    ScheduledFuture<?> timer;

    Poll(Response response, Callback callback) {
      this.response = response;
      this.callback = callback;
    }
  }

  LongPollSession(ServerCore core, String token, Consumer<LongPollSession> onEnd) {
    this.core = core;
    this.token = token;
    this.windowNanos = core.options().longPollWindow().toNanos();
    this.onEnd = onEnd;
  }

  String token() {
    return token;
  }

  synchronized boolean isOpen() {
    return !ended;
  }

  synchronized void start(ConnectionImpl owner) {
    this.connection = owner;
    this.lastPollNanos = System.nanoTime();
    this.inactivityCheck = core.scheduler().scheduleWithFixedDelay(this::endIfInactive, windowNanos, windowNanos,
        TimeUnit.NANOSECONDS);
  }

  ConnectionImpl connection() {
    return connection;
  }

  /** A GET with this session's token: answer at once if messages wait, else hold it for the window. */
  void listen(Response response, Callback callback) {
    Poll superseded;
    boolean answerNow;
    List<String> messages = null;
    synchronized (this) {
      lastPollNanos = System.nanoTime();
      superseded = waiting;
      waiting = null;
      if (superseded != null) {
        superseded.timer.cancel(false);
      }
      answerNow = ended || !buffer.isEmpty() || unencodable;
      if (answerNow) {
        messages = takeBuffer();
      } else {
        Poll poll = new Poll(response, callback);
        poll.timer = core.scheduler().schedule(() -> expire(poll), windowNanos, TimeUnit.NANOSECONDS);
        waiting = poll;
      }
    }
    if (superseded != null) {
      answer(superseded.response, superseded.callback, List.of());
    }
    if (answerNow) {
      answer(response, callback, messages);
    }
  }

  @Override
  public void sendText(String text) {
    queue(text, false);
  }

  /**
   * Queues a binary frame as Phoenix does: as the string of its bytes when they happen to be UTF-8 (a client reads
   * nothing sensible from it), else as a frame that makes the next poll fail with HTTP 500.
   */
  @Override
  public void sendBinary(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException notUtf8) {
      core.logger().log(Level.WARNING, () -> "connection #" + connection.id() + ": a binary frame (" + bytes.length
          + " bytes, not UTF-8) cannot go over long-poll; the poll that would carry it fails with HTTP 500 and "
          + "loses the messages queued with it, as in Phoenix");
      queue(null, true);
      return;
    }
    queue(text, false);
  }

  /** Queues a message (none for an unencodable frame) and hands the queue to a held poll. */
  private void queue(String text, boolean unencodableFrame) {
    Poll poll;
    List<String> messages;
    synchronized (this) {
      if (ended) {
        return;
      }
      if (unencodableFrame) {
        unencodable = true;
      } else {
        buffer.add(text);
      }
      poll = waiting;
      if (poll == null) {
        return;
      }
      waiting = null;
      poll.timer.cancel(false);
      messages = takeBuffer();
      lastPollNanos = System.nanoTime();
    }
    answer(poll.response, poll.callback, messages);
  }

  /** Empties the buffer; {@code null} when it held a frame JSON cannot carry, whose poll fails. */
  private List<String> takeBuffer() {
    List<String> messages = unencodable ? null : List.copyOf(buffer);
    buffer.clear();
    unencodable = false;
    return messages;
  }

  @Override
  public void close(int code, String reason) {
    end(code, reason, Ending.HOLD_POLL);
  }

  @Override
  public void cut() {
    end(1006, "", Ending.CUT_POLL);
  }

  /** Ends the session as a stopping server does: a held poll is answered at once. */
  void stop() {
    Poll lingering;
    synchronized (this) {
      lingering = ended ? waiting : null;
      waiting = null;
    }
    if (lingering != null) {
      // Ended before, its poll waiting out the window: answer it now, so the stop waits for no request.
      lingering.timer.cancel(false);
      answer(lingering.response, lingering.callback, List.of());
      onEnd.accept(this);
      return;
    }
    end(1001, "server stopping", Ending.ANSWER_POLL);
  }

  /** What becomes of a held poll when the session ends. */
  private enum Ending {
    /** Phoenix's own end of a session: the poll waits out its window, then gets 204. */
    HOLD_POLL,
    /** A server stop: 204 now; the client's next poll meets the stopped server. */
    ANSWER_POLL,
    /** A cut connection. */
    CUT_POLL
  }

  private void end(int code, String reason, Ending ending) {
    Poll poll;
    boolean forget;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      poll = ending == Ending.HOLD_POLL ? null : waiting;
      if (poll != null) {
        waiting = null;
      }
      // A held poll keeps the session known to the endpoint until the poll is answered, so a stop can answer it.
      forget = waiting == null;
      buffer.clear();
      unencodable = false;
      if (inactivityCheck != null) {
        inactivityCheck.cancel(false);
      }
    }
    if (poll != null) {
      poll.timer.cancel(false);
      if (ending == Ending.CUT_POLL) {
        poll.callback.failed(new java.io.IOException("long-poll connection cut by the test server"));
      } else {
        // The client learns the session is gone from its next poll, which finds no session.
        answer(poll.response, poll.callback, List.of());
      }
    }
    if (forget) {
      onEnd.accept(this);
    }
    connection.transportClosed(code, reason);
  }

  private void expire(Poll poll) {
    boolean endedMeanwhile;
    synchronized (this) {
      if (waiting != poll) {
        return;
      }
      waiting = null;
      lastPollNanos = System.nanoTime();
      endedMeanwhile = ended;
    }
    answer(poll.response, poll.callback, List.of());
    if (endedMeanwhile) {
      onEnd.accept(this);
    }
  }

  private void endIfInactive() {
    boolean inactive;
    synchronized (this) {
      inactive = !ended && waiting == null && System.nanoTime() - lastPollNanos > windowNanos;
    }
    if (inactive) {
      core.logger().log(Level.DEBUG, () -> "long-poll session of connection #" + connection.id()
          + " ended: no poll for a window");
      end(1000, "inactive", Ending.HOLD_POLL);
    }
  }

  /** {@code {"messages":[...],"status":200|204,"token":T}}, or HTTP 500 for messages JSON cannot carry. */
  private void answer(Response response, Callback callback, List<String> messages) {
    if (messages == null) {
      LongPollEndpoint.writeServerError(core, response, callback);
      return;
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    messages.forEach(body.putArray("messages")::add);
    body.put("status", messages.isEmpty() ? 204 : 200);
    body.put("token", token);
    LongPollEndpoint.writeJson(core, response, callback, body);
  }
}
