package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;
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
 * window. Thread-safe.
 */
final class LongPollSession implements Wire {
  private final ServerCore core;
  private final String token;
  private final long windowNanos;
  private final Consumer<LongPollSession> onEnd;
  private final ArrayDeque<String> buffer = new ArrayDeque<>();
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
    List<String> messages = null;
    synchronized (this) {
      lastPollNanos = System.nanoTime();
      superseded = waiting;
      waiting = null;
      if (superseded != null) {
        superseded.timer.cancel(false);
      }
      if (ended || !buffer.isEmpty()) {
        messages = List.copyOf(buffer);
        buffer.clear();
      } else {
        Poll poll = new Poll(response, callback);
        poll.timer = core.scheduler().schedule(() -> expire(poll), windowNanos, TimeUnit.NANOSECONDS);
        waiting = poll;
      }
    }
    if (superseded != null) {
      answer(superseded.response, superseded.callback, List.of());
    }
    if (messages != null) {
      answer(response, callback, messages);
    }
  }

  @Override
  public void sendText(String text) {
    Poll poll;
    List<String> messages;
    synchronized (this) {
      if (ended) {
        return;
      }
      buffer.add(text);
      poll = waiting;
      if (poll == null) {
        return;
      }
      waiting = null;
      poll.timer.cancel(false);
      messages = List.copyOf(buffer);
      buffer.clear();
      lastPollNanos = System.nanoTime();
    }
    answer(poll.response, poll.callback, messages);
  }

  @Override
  public void sendBinary(byte[] bytes) {
    core.logger().log(Level.WARNING, () -> "connection #" + connection.id() + ": a binary frame (" + bytes.length
        + " bytes) cannot go over long-poll, which carries only text messages; dropped");
  }

  @Override
  public void close(int code, String reason) {
    end(code, reason, false);
  }

  @Override
  public void cut() {
    end(1006, "", true);
  }

  private void end(int code, String reason, boolean abort) {
    Poll poll;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      poll = waiting;
      waiting = null;
      buffer.clear();
      if (inactivityCheck != null) {
        inactivityCheck.cancel(false);
      }
    }
    if (poll != null) {
      poll.timer.cancel(false);
      if (abort) {
        poll.callback.failed(new java.io.IOException("long-poll connection cut by the test server"));
      } else {
        // The client learns the session is gone from its next poll, which finds no session.
        answer(poll.response, poll.callback, List.of());
      }
    }
    onEnd.accept(this);
    connection.transportClosed(code, reason);
  }

  private void expire(Poll poll) {
    synchronized (this) {
      if (waiting != poll) {
        return;
      }
      waiting = null;
      lastPollNanos = System.nanoTime();
    }
    answer(poll.response, poll.callback, List.of());
  }

  private void endIfInactive() {
    boolean inactive;
    synchronized (this) {
      inactive = !ended && waiting == null && System.nanoTime() - lastPollNanos > windowNanos;
    }
    if (inactive) {
      core.logger().log(Level.DEBUG, () -> "long-poll session of connection #" + connection.id()
          + " ended: no poll for a window");
      end(1000, "inactive", false);
    }
  }

  /** {@code {"messages":[...],"status":200|204,"token":T}}. */
  private void answer(Response response, Callback callback, List<String> messages) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    messages.forEach(body.putArray("messages")::add);
    body.put("status", messages.isEmpty() ? 204 : 200);
    body.put("token", token);
    LongPollEndpoint.writeJson(core, response, callback, body);
  }
}
