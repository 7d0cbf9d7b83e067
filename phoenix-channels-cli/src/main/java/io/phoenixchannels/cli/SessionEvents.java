package io.phoenixchannels.cli;

import io.phoenixchannels.Message;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixPresence;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Presence;
import io.phoenixchannels.Push;
import io.phoenixchannels.Reply;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Turns what a socket, its channels and their Presence report into {@link CliEvent}s for a printer, as it happens:
 * the connection opening, closing and reconnecting, errors, every server message, channel errors and rejoins,
 * presence joins and leaves, and the outcome of every join, push and leave.
 */
final class SessionEvents {
  /** Shown as presence events, or as replies and channel events, rather than as raw messages. */
  private static final Set<String> NOT_MESSAGES = Set.of("phx_reply", "phx_error", "phx_close",
      PhoenixPresence.STATE_EVENT, PhoenixPresence.DIFF_EVENT);

  private SessionEvents() {}

  /** Reports the socket's opens, closes (and whether it reconnects) and errors. */
  static void watch(PhoenixSocket socket, EventPrinter printer) {
    String url = socket.endpoint().toString();
    socket.onOpen(() -> printer.print(new CliEvent.Socket("open", url, null, null, null)));
    socket.onClose(close -> printer.print(new CliEvent.Socket("closed", url, close.code(),
        close.cause() != null ? close.cause().getMessage() : close.reason(), !close.requested())));
    socket.onError(error -> printer.print(new CliEvent.Error(error.getMessage())));
  }

  /** Reports a channel's messages, errors and close, and its Presence's joins and leaves. */
  static void watch(PhoenixChannel channel, PhoenixPresence presence, EventPrinter printer) {
    String topic = channel.topic();
    channel.onMessage(message -> {
      if (isShownAsMessage(message)) {
        printer.print(new CliEvent.Message(topic, message.event(), message.payload()));
      }
    });
    channel.onError(error -> printer.print(new CliEvent.Channel(topic, "errored", error.reason())));
    channel.onClose(close -> printer.print(new CliEvent.Channel(topic, "closed", close.reason())));
    presence.onJoin((key, current, joined) -> printer.print(change(topic, "join", joined)));
    presence.onLeave((key, current, left) -> printer.print(change(topic, "leave", left)));
  }

  /**
   * Reports every outcome of a push (for a join: of every attempt, rejoins included) and returns a future of the
   * first one, which completes with the reply whatever its status: {@code ok}, {@code error} or {@code timeout}.
   */
  static CompletableFuture<Reply> outcome(Push push, EventPrinter printer) {
    String topic = push.channel().topic();
    return PushOutcome.first(push,
        reply -> printer.print(new CliEvent.Reply(topic, push.event(), reply.status(), reply.response())));
  }

  /** Whether a channel message is shown as a {@code message} event (not a reply, control or presence frame). */
  static boolean isShownAsMessage(Message message) {
    return !message.isReply() && !NOT_MESSAGES.contains(message.event());
  }

  private static CliEvent.PresenceChange change(String topic, String event, Presence presence) {
    return new CliEvent.PresenceChange(topic, event, presence.key(), Json.MAPPER.valueToTree(presence.metas()));
  }
}
