package io.phoenixchannels.cli;

import io.phoenixchannels.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for the join of a one-shot command ({@code listen}, {@code push}), which must succeed to go on. */
final class JoinOutcome {
  private JoinOutcome() {}

  /**
   * Waits for the join's first outcome.
   *
   * @throws CliException exit {@link ExitCode#UNAVAILABLE} when the join was refused or not answered in time
   * @throws InterruptedException if interrupted while waiting
   */
  static void require(String topic, CompletableFuture<Reply> join, Duration timeout) throws InterruptedException {
    Reply reply;
    try {
      // The join times out by itself; the margin only guards against a socket that never reports.
      reply = join.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reply = null;
    } catch (ExecutionException e) {
      throw new CliException(ExitCode.SOFTWARE, "the join of " + topic + " failed: " + e.getCause(), e);
    }
    if (reply == null || Reply.TIMEOUT.equals(reply.status())) {
      throw CliException.unavailable("no reply to the join of " + topic + " within " + timeout.toMillis() + " ms");
    }
    if (!reply.isOk()) {
      throw CliException.unavailable("the server refused to join " + topic + ": " + Json.compact(reply.response()));
    }
  }
}
