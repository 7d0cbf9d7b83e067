package io.phoenixchannels.cli;

import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code phx serve}: the test server's reference app (the Phoenix app behind the conformance traces) in the
 * foreground, logging connects, joins (refused ones with their reason) and disconnects, until Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = PhxVersion.class,
    description = {"Run the reference Phoenix app (room:* and game:* channels) until Ctrl-C, logging connects, "
        + "refused connects, joins, refused joins (topic and error reply), channel ends, disconnects, unmatched "
        + "topics and crashes.",
        "",
        "Connect (socket /socket, WebSocket or long-poll): the user is the user_id param, or a generated id; the "
            + "param token=bad is refused (HTTP 403). Phoenix 1.8 only: the auth token (phx --token) secret-token "
            + "or tok/with+slash? connects as user tokuser, any other token is refused.",
        "room:* refuses room:private* ({\"reason\":\"unauthorized\"}), crashes joining room:crash_on_join, "
            + "tracks Presence (join params {\"name\":..}; {\"presence\":false} opts out) and answers: echo (the "
            + "payload), broadcast and broadcast_from (broadcasted to every member / every other member), "
            + "push_many {\"n\":N} (N item pushes), error_reply, noreply, slow {\"ms\":N}, crash, stop, kick, "
            + "binary_echo, binary_push, binary_broadcast, disconnect_me, update_presence, whoami (1.8); any other "
            + "event gets an error reply {\"reason\":\"unknown event\"}.",
        "game:* answers echo, start_ticks {\"n\":N} and move {\"x\":..,\"y\":..}."},
    footer = {"%nExample:",
        "  phx serve --port 4000 &",
        "  phx push ws://localhost:4000/socket room:lobby broadcast '{\"body\":\"hi\"}' --token secret-token"})
final class ServeCommand implements Callable<Integer> {
  @ParentCommand
  private Phx phx;

  @Option(names = "--port", defaultValue = "4000", description = "The port (0 picks a free one; default: "
      + "${DEFAULT-VALUE}).")
  private int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "The address to listen on (default: "
      + "${DEFAULT-VALUE}).")
  private String host;

  @Option(names = "--phoenix", paramLabel = "1.7|1.8", defaultValue = "1.8",
      description = "The Phoenix release to behave as (default: ${DEFAULT-VALUE}).")
  private String phoenix;

  @Mixin
  private OutputOptions output;

  @Override
  public Integer call() throws Exception {
    PhoenixVersion version = switch (phoenix) {
      case "1.7" -> PhoenixVersion.PHOENIX_1_7;
      case "1.8" -> PhoenixVersion.PHOENIX_1_8;
      default -> throw CliException.usage("--phoenix must be 1.7 or 1.8, got '" + phoenix + "'");
    };
    if (port < 0 || port > 65535) {
      throw CliException.usage("--port must be 0-65535, got " + port);
    }
    EventPrinter printer = output.printer(phx.streams(), true);
    PhoenixTestServer server = ReferenceApp.configure(PhoenixTestServer.builder()
            .host(host).port(port).version(version)
            .recordFrames(false) // it may serve for hours
            // INFO: the server says so when it refuses a join to a topic nothing routes, or an unknown vsn.
            .logger(new LineLogger("phx-serve", Level.INFO,
                line -> printer.print(new CliEvent.Server("log", null, line))))
            .listener(new ServerLog(printer)))
        .build();
    try {
      server.start();
    } catch (UncheckedIOException e) {
      server.close();
      throw CliException.unavailable("cannot listen on " + host + ":" + port + ": " + e.getCause().getMessage());
    }
    try (ClosedOnExit<PhoenixTestServer> running = ClosedOnExit.of("serve", server, PhoenixTestServer::close)) {
      PhoenixTestServer serving = running.get();
      printer.print(new CliEvent.Server("listening", null, serving.url() + " (Phoenix " + phoenix
          + " reference app; long-poll at " + serving.httpUrl() + "/longpoll)"));
      new CountDownLatch(1).await();
      return ExitCode.OK;
    } catch (InterruptedException e) {
      return ExitCode.INTERRUPTED;
    }
  }
}
