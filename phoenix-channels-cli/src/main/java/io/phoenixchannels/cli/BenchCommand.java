package io.phoenixchannels.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.netty.NettyEventLoops;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        "Prints a progress line every second (with that second's p99) and, at the end, an HdrHistogram percentile "
        + "table of the steady state: pushes due during the ramp-up and the warm-up are reported apart. --json "
        + "prints both as JSON lines.",
        "Stops at once when nothing can join (every socket so far failed to connect or to join), saying why.",
        "Exit code: 0 all replies ok, 1 error replies or timeouts, 2 no socket joined, 64 usage error."},
    footer = {"%nExamples:",
        "  phx bench ws://localhost:4000/socket --sockets 1000 --rate 2000 --duration 30s --ramp-up 5s --warmup 5s",
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
      description = "How long to push and measure after the ramp-up and the warm-up (default: ${DEFAULT-VALUE}).")
  private Duration duration;

  @Option(names = "--ramp-up", paramLabel = "DURATION", defaultValue = "1s", converter = ZeroOrDurationConverter.class,
      description = "Over how long the sockets are opened, evenly (default: ${DEFAULT-VALUE}; 0 opens them all at "
          + "once). Pushes start with it, but their latencies are reported apart from the steady state.")
  private Duration rampUp;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s", converter = ZeroOrDurationConverter.class,
      description = "How long to push after the ramp-up before measuring (default: ${DEFAULT-VALUE}); its "
          + "latencies are reported with the ramp-up's.")
  private Duration warmUp;

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
    PrintStream out = phx.streams().out();
    BenchReport report = new BenchReport(out, json, phx.streams().terminal() && !json);
    int channels = socketCount * channelsPerSocket;
    int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    try (NettyEventLoops netty = NettyEventLoops.create(threadCount)) {
      socket(netty).close(); // a bad URL or token is a usage error before anything starts
      String io = connection.longPoll ? "long-poll" : netty.isNativeEpoll() ? "epoll" : "nio";
      report.begin(String.format(Locale.ROOT, "bench %s: %d socket%s × %d channel%s, %d pushes/s of %s for %s "
              + "after %s; %s", url, socketCount, socketCount == 1 ? "" : "s", channelsPerSocket,
          channelsPerSocket == 1 ? "" : "s", rate, event, seconds(duration), before(), io(netty, threadCount)));
      BenchClock clock = BenchClock.system();
      LoadGenerator load = new LoadGenerator(() -> socket(netty), topics,
          joinParams == null ? Json.MAPPER.createObjectNode() : joinParams, event,
          payload == null ? Json.MAPPER.createObjectNode() : payload, clock, timeout);
      long started = clock.nanoTime();
      long rampUpEnd = started + rampUp.toNanos();
      long measureFrom = rampUpEnd + warmUp.toNanos();
      long end = measureFrom + duration.toNanos();
      Thread progress = report.startProgress(load, clock, started, rampUpEnd, measureFrom, channels);
      Thread opener = new Thread(() -> {
        try {
          load.open(socketCount, started, rampUp);
        } catch (InterruptedException e) {
          load.stop();
        }
      }, "phx-bench-open");
      opener.setDaemon(true);
      opener.start();
      boolean interrupted = false;
      try {
        load.push(rate, started, measureFrom, end);
      } catch (InterruptedException e) {
        interrupted = true; // Ctrl-C: report what was measured
      }
      load.stop();
      opener.join(timeout.toMillis());
      if (!load.hopeless()) {
        // The last pushes get their timeout to answer; a live count keeps the wait short when they do.
        report.awaitOutstanding(load, timeout);
      }
      progress.interrupt();
      progress.join(1000);
      LoadGenerator.Snapshot last = load.snapshot();
      report.result(last, load.steady(), load.warmUp(), excluded(), (clock.nanoTime() - started) / 1e9, channels,
          io, load.firstFailure());
      load.closeAll();
      if (interrupted) {
        return ExitCode.INTERRUPTED;
      }
      if (last.joined() == 0) {
        throw CliException.unavailable("no channel joined on " + url
            + load.firstFailure().map(failure -> ": " + failure).orElse(""));
      }
      return last.errors() == 0 && last.joined() == channels ? ExitCode.OK : ExitCode.ERROR;
    }
  }

  /** Which I/O the sockets use, so that a run on NIO (no native epoll for this platform) says so. */
  private String io(NettyEventLoops netty, int threadCount) {
    if (connection.longPoll) {
      return "long-poll over the JDK HTTP client";
    }
    String loops = threadCount + " Netty thread" + (threadCount == 1 ? "" : "s");
    if (netty.isNativeEpoll()) {
      return loops + ", native epoll";
    }
    String os = System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?");
    return loops + ", NIO (no native epoll on " + os + ")";
  }

  /** What comes before the measurement, for the first line. */
  private String before() {
    String ramp = rampUp.isZero() ? "no ramp-up" : "a " + seconds(rampUp) + " ramp-up";
    return warmUp.isZero() ? ramp : ramp + " and a " + seconds(warmUp) + " warm-up";
  }

  /** What the steady state leaves out, for the result; empty when nothing comes before it. */
  private String excluded() {
    if (rampUp.isZero() && warmUp.isZero()) {
      return "";
    }
    if (warmUp.isZero()) {
      return "the " + seconds(rampUp) + " ramp-up";
    }
    return rampUp.isZero() ? "the " + seconds(warmUp) + " warm-up"
        : "the " + seconds(rampUp) + " ramp-up and " + seconds(warmUp) + " warm-up";
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private PhoenixSocket socket(NettyEventLoops netty) {
    PhoenixSocket.Builder builder = connection.builder(url).timeout(timeout);
    if (!connection.longPoll) {
      builder.eventLoop(netty.next()).transport(netty.transport());
      return connection.buildAsIs(builder);
    }
    return connection.build(builder);
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
