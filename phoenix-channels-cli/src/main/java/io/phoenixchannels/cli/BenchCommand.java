package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.netty.NettyEventLoops;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code phx bench URL}: a load generator for a Phoenix server. Many sockets share a few Netty threads (the socket
 * state and its connection on the same one), so phx's own overhead stays small next to the server's.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = PhxVersion.class,
    description = {"Load a Phoenix server: open sockets, join channels, push at a fixed rate and measure the "
        + "push→reply latency from each push's due time (no coordinated omission).",
        "Prints a progress line every second and an HdrHistogram percentile table at the end; --json prints both "
        + "as JSON lines.",
        "Exit code: 0 all replies ok, 1 error replies or timeouts, 2 no socket joined, 64 usage error."},
    footer = {"%nExamples:",
        "  phx bench ws://localhost:4000/socket --sockets 1000 --rate 2000 --duration 30s --ramp-up 5s",
        "  phx bench ws://localhost:4000/socket --topic game:1 --event echo --payload '{\"x\":1}' --json"})
final class BenchCommand implements Callable<Integer> {
  @ParentCommand
  private Phx phx;

  @Parameters(index = "0", paramLabel = "URL", description = "The socket endpoint, e.g. ws://localhost:4000/socket.")
  private String url;

  @Option(names = "--sockets", paramLabel = "N", defaultValue = "10",
      description = "Sockets to open (default: ${DEFAULT-VALUE}).")
  private int socketCount;

  @Option(names = "--channels-per-socket", paramLabel = "N", defaultValue = "1",
      description = "Channels each socket joins (default: ${DEFAULT-VALUE}); with more than one, TOPIC:0, TOPIC:1...")
  private int channelsPerSocket;

  @Option(names = "--topic", paramLabel = "TOPIC", defaultValue = "room:bench",
      description = "The topic to join (default: ${DEFAULT-VALUE}).")
  private String topic;

  @Option(names = "--join-params", paramLabel = "JSON", converter = JsonConverter.class,
      description = "The join params, as JSON (default: {}).")
  private JsonNode joinParams;

  @Option(names = "--event", paramLabel = "EVENT", defaultValue = "echo",
      description = "The event to push (default: ${DEFAULT-VALUE}).")
  private String event;

  @Option(names = "--payload", paramLabel = "JSON", converter = JsonConverter.class,
      description = "The payload of every push, as JSON (default: {}).")
  private JsonNode payload;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "100",
      description = "Pushes per second over all channels (default: ${DEFAULT-VALUE}; 0 only connects and joins).")
  private int rate;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "How long to push after the ramp-up (default: ${DEFAULT-VALUE}).")
  private Duration duration;

  @Option(names = "--ramp-up", paramLabel = "DURATION", defaultValue = "1s", converter = ZeroOrDurationConverter.class,
      description = "Over how long the sockets are opened, evenly (default: ${DEFAULT-VALUE}; 0 opens them all at "
          + "once); pushes start with it.")
  private Duration rampUp;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
      description = "How long a join or a push waits for its reply (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(names = "--threads", paramLabel = "N",
      description = "Event-loop threads shared by all sockets (default: one per core).")
  private Integer threads;

  @Option(names = "--json", description = "Print progress and the result as JSON lines (for jq and scripts).")
  private boolean json;

  @Mixin
  private ConnectionOptions connection;

  @Override
  public Integer call() throws Exception {
    check();
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < channelsPerSocket; i++) {
      topics.add(channelsPerSocket == 1 ? topic : topic + ":" + i);
    }
    ConnectionOptions.build(connection.builder(url)).close(); // a bad URL is a usage error before anything starts
    PrintStream out = phx.streams().out();
    BenchReport report = new BenchReport(out, json, phx.streams().terminal() && !json);
    try (NettyEventLoops netty = NettyEventLoops.create(threads != null ? threads
        : Runtime.getRuntime().availableProcessors())) {
      LoadGenerator load = new LoadGenerator(() -> socket(netty), topics,
          joinParams == null ? Json.MAPPER.createObjectNode() : joinParams, event,
          payload == null ? Json.MAPPER.createObjectNode() : payload);
      long started = System.nanoTime();
      long end = started + rampUp.toNanos() + duration.toNanos();
      Thread progress = report.startProgress(load, started, socketCount * channelsPerSocket);
      Thread opener = new Thread(() -> {
        try {
          load.open(socketCount, rampUp);
        } catch (InterruptedException e) {
          load.stop();
        }
      }, "phx-bench-open");
      opener.setDaemon(true);
      opener.start();
      boolean interrupted = false;
      try {
        load.push(rate, end);
      } catch (InterruptedException e) {
        interrupted = true; // Ctrl-C: report what was measured
      }
      load.stop();
      opener.join(timeout.toMillis());
      // The last pushes get their timeout to answer; a live count keeps the wait short when they do.
      report.awaitOutstanding(load, timeout);
      progress.interrupt();
      progress.join(1000);
      LoadGenerator.Snapshot last = load.snapshot();
      report.result(last, load.total(), (System.nanoTime() - started) / 1e9, socketCount * channelsPerSocket);
      load.closeAll();
      if (interrupted) {
        return ExitCode.INTERRUPTED;
      }
      if (last.joined() == 0) {
        throw CliException.unavailable("no channel joined on " + url);
      }
      return last.errors() == 0 && last.joined() == socketCount * channelsPerSocket ? ExitCode.OK : ExitCode.ERROR;
    }
  }

  private PhoenixSocket socket(NettyEventLoops netty) {
    PhoenixSocket.Builder builder = connection.builder(url).timeout(timeout);
    if (!connection.longPoll) {
      builder.eventLoop(netty.next()).transport(netty.transport());
    }
    return ConnectionOptions.build(builder);
  }

  private void check() {
    if (socketCount < 1) {
      throw CliException.usage("--sockets must be at least 1, got " + socketCount);
    }
    if (channelsPerSocket < 1) {
      throw CliException.usage("--channels-per-socket must be at least 1, got " + channelsPerSocket);
    }
    if (rate < 0) {
      throw CliException.usage("--rate must be 0 or more, got " + rate);
    }
    if (threads != null && threads < 1) {
      throw CliException.usage("--threads must be at least 1, got " + threads);
    }
  }
}
