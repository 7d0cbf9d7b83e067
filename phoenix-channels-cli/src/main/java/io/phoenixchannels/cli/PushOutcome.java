package io.phoenixchannels.cli;

import io.phoenixchannels.Push;
import io.phoenixchannels.Reply;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The first outcome of a push as a {@link Reply}, whatever its status: {@code ok}, {@code error}, {@code timeout} or
 * {@code failed}.
 * ({@link Push#toFuture()} fails on a timeout instead; a command-line client reports a timeout like any outcome.)
 */
final class PushOutcome {
  private PushOutcome() {}

  /**
   * Returns a future of the first outcome, and hands every outcome (for a join: of every attempt) to a listener.
   *
   * @param every gets each outcome, on the socket's callback executor
   */
  static CompletableFuture<Reply> first(Push push, Consumer<Reply> every) {
    CompletableFuture<Reply> first = new CompletableFuture<>();
    for (String status : new String[] {Reply.OK, Reply.ERROR, Reply.TIMEOUT, Reply.FAILED}) {
      push.receive(status, reply -> {
        every.accept(reply);
        first.complete(reply);
      });
    }
    return first;
  }
}
