package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code phx listen URL TOPIC}: joins one channel and prints every event until interrupted (Ctrl-C leaves the
 * channel and disconnects), until {@code --count} messages arrived, or until the server closes the channel.
 */
@Command(name = "listen", mixinStandardHelpOptions = true, versionProvider = PhxVersion.class,
    description = "Join a channel and print every message, presence change and reconnect until interrupted.",
    footer = {"%nExample:",
        "  phx listen ws://localhost:4000/socket room:lobby --join-params '{\"name\":\"Ada\"}' --json | jq ."})
final class ListenCommand implements Callable<Integer> {
  @ParentCommand
  private Phx phx;

  @Parameters(index = "0", paramLabel = "URL", description = "The socket endpoint, e.g. ws://localhost:4000/socket.")
  private String url;

  @Parameters(index = "1", paramLabel = "TOPIC", description = "The topic to join, e.g. room:lobby.")
  private String topic;

  @Option(names = "--join-params", paramLabel = "JSON", converter = JsonConverter.class,
      description = "The join params, as JSON.")
  private JsonNode joinParams;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "How long the join may wait for its reply (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(names = "--count", paramLabel = "N",
      description = "Exit 0 after N messages (pushes and broadcasts) instead of listening until interrupted.")
  private Integer count;

  @Mixin
  private ConnectionOptions connection;

  @Mixin
  private OutputOptions output;

  @Override
  public Integer call() throws Exception {
    if (count != null && count <= 0) {
      throw CliException.usage("--count must be positive, got " + count);
    }
    EventPrinter printer = output.printer(phx.streams(), true);
    PhoenixSocket socket = connection.build(connection.builder(url).timeout(timeout));
    try (ClosedOnExit<Session> guarded = ClosedOnExit.of("listen", new Session(socket, printer), Session::close)) {
      Session session = guarded.get();
      session.connect(connection.connectTimeout());
      CompletableFuture<Integer> end = new CompletableFuture<>();
      JoinOutcome.require(topic, session.join(topic, joinParams, timeout), timeout);
      PhoenixChannel channel = session.channel(topic).orElseThrow();
      channel.onClose(close -> {
        if (!close.requested()) { // a requested close is this command leaving, on Ctrl-C
          end.completeExceptionally(new CliException(ExitCode.ERROR, "the server closed " + topic + " ("
              + close.reason() + ")"));
        }
      });
      if (count != null) {
        AtomicInteger messages = new AtomicInteger();
        channel.onMessage(message -> {
          if (SessionEvents.isShownAsMessage(message) && messages.incrementAndGet() >= count) {
            end.complete(ExitCode.OK);
          }
        });
      }
      try {
        return end.get();
      } catch (ExecutionException e) {
        throw (CliException) e.getCause();
      } catch (InterruptedException e) {
        return ExitCode.INTERRUPTED;
      }
    }
  }
}
