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
 * foreground, logging connects, joins and disconnects, until Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = PhxVersion.class,
    description = {"Run the reference Phoenix app (room:* and game:* channels) until Ctrl-C, logging connects, "
        + "joins and disconnects.",
        "room:* answers echo, error_reply, noreply, slow, broadcast, push_many, crash, ... and tracks Presence; "
            + "game:* answers echo, start_ticks and move."})
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
            .logger(new LineLogger("phx-serve", Level.WARNING,
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
