package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Reply;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code phx push URL TOPIC EVENT [JSON]}: connect, join, push once, print the reply, leave. The exit code is the
 * outcome: 0 ok, 1 error reply, 2 timeout or a refused join or connect.
 */
@Command(name = "push", mixinStandardHelpOptions = true, versionProvider = PhxVersion.class,
    description = {"Push one event and print its reply.",
        "Exit code: 0 ok, 1 error reply, 2 timeout or refused join/connect, 64 usage error."},
    footer = {"%nExample:",
        "  phx push ws://localhost:4000/socket room:lobby echo '{\"body\":\"hi\"}' --json | jq .response"})
final class PushCommand implements Callable<Integer> {
  @ParentCommand
  private Phx phx;

  @Parameters(index = "0", paramLabel = "URL", description = "The socket endpoint, e.g. ws://localhost:4000/socket.")
  private String url;

  @Parameters(index = "1", paramLabel = "TOPIC", description = "The topic to join, e.g. room:lobby.")
  private String topic;

  @Parameters(index = "2", paramLabel = "EVENT", description = "The event to push, e.g. new_msg.")
  private String event;

  @Parameters(index = "3", paramLabel = "PAYLOAD", arity = "0..1", converter = JsonConverter.class,
      description = "The payload, as JSON ({} when left out), e.g. '{\"body\":\"hi\"}'.")
  private JsonNode payload;

  @Option(names = "--join-params", paramLabel = "JSON", converter = JsonConverter.class,
      description = "The join params, as JSON.")
  private JsonNode joinParams;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "How long the join and the push each wait for a reply (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Mixin
  private ConnectionOptions connection;

  @Mixin
  private OutputOptions output;

  @Override
  public Integer call() throws Exception {
    EventPrinter printer = output.printer(phx.streams(), false);
    PhoenixSocket socket = connection.build(connection.builder(url).timeout(timeout));
    // Only the reply is printed: the socket's and the channel's own events would bury it.
    try (ClosedOnExit<Session> guarded = ClosedOnExit.of("push", new Session(socket, EventPrinter.discarding()),
        Session::close)) {
      Session session = guarded.get();
      session.connect(connection.connectTimeout());
      JoinOutcome.require(topic, session.join(topic, joinParams, timeout), timeout);
      JsonNode body = payload == null ? Json.MAPPER.createObjectNode() : payload;
      Reply reply = reply(session, body);
      printer.print(new CliEvent.Reply(topic, event, reply.status(), reply.response()));
      if (Reply.TIMEOUT.equals(reply.status())) {
        throw CliException.unavailable("no reply to " + event + " on " + topic + " within " + timeout.toMillis()
            + " ms");
      }
      return reply.isOk() ? ExitCode.OK : ExitCode.ERROR;
    }
  }

  private Reply reply(Session session, JsonNode body) throws InterruptedException {
    try {
      // The push times out by itself; the margin only guards against a socket that never reports.
      return session.push(topic, event, body, timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw CliException.unavailable("no reply to " + event + " on " + topic + " within " + timeout.toMillis()
          + " ms");
    } catch (ExecutionException e) {
      throw new CliException(ExitCode.SOFTWARE, "the push failed: " + e.getCause(), e);
    }
  }
}
