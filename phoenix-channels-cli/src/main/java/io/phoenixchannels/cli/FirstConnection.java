package io.phoenixchannels.cli;

import io.phoenixchannels.CloseEvent;
import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.PhoenixException;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connects a socket and waits for its first connection, with a deadline. A command-line client must not hang, nor
 * retry forever against a server that is not there: the first failure (refused, unreachable, a refused upgrade)
 * ends the wait at once. Later drops reconnect on the socket's policy, as usual.
 */
final class FirstConnection {
  private FirstConnection() {}

  /**
   * Connects and waits for the connection to open.
   *
   * @throws CliException exit {@link ExitCode#UNAVAILABLE} when the connection failed or did not open in time
   * @throws InterruptedException if interrupted while waiting
   */
  static void open(PhoenixSocket socket, Duration deadline) throws InterruptedException {
    CompletableFuture<Void> opened = new CompletableFuture<>();
    List<Subscription> listening = List.of(
        socket.onOpen(() -> opened.complete(null)),
        socket.onError(error -> opened.completeExceptionally(error)),
        socket.onClose(close -> opened.completeExceptionally(closed(close))));
    try {
      socket.connect();
      opened.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw CliException.unavailable("no connection to " + socket.endpoint() + " within " + deadline.toMillis()
          + " ms");
    } catch (ExecutionException e) {
      throw CliException.unavailable("cannot connect to " + socket.endpoint() + ": " + reason(e.getCause()));
    } finally {
      listening.forEach(Subscription::close);
    }
  }

  private static PhoenixException closed(CloseEvent close) {
    if (close.cause() != null) {
      return close.cause();
    }
    return new PhoenixException("the connection closed at once (" + close.code()
        + (close.reason().isEmpty() ? "" : " " + close.reason()) + ")");
  }

  /**
   * What a person needs to know about a connection that failed: a refused upgrade's status, or the innermost cause
   * (connection refused, unknown host, ...). Also used by {@code bench} to say why nothing joined.
   */
  static String reason(Throwable failure) {
    if (failure instanceof ConnectionException refused && refused.httpStatus().isPresent()) {
      int status = refused.httpStatus().getAsInt();
      return status == 403 ? "the server refused the connection (HTTP 403: params or token not accepted)"
          : "the server answered the upgrade with HTTP " + status;
    }
    List<Throwable> chain = new ArrayList<>();
    for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
      chain.add(cause);
    }
    if (chain.stream().anyMatch(cause -> cause instanceof java.net.UnknownHostException
        || cause instanceof java.nio.channels.UnresolvedAddressException)) {
      return "unknown host";
    }
    if (chain.stream().anyMatch(cause -> cause instanceof java.net.ConnectException)) {
      return "connection refused (is the server running?)";
    }
    Throwable root = chain.get(chain.size() - 1);
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}
