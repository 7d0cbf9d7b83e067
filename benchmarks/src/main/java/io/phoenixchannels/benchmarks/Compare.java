package io.phoenixchannels.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The end-to-end comparison: starts the server (the test server's reference app, in its own JVM) unless
 * {@code --url} names one, then runs every workload with every client, each run in a fresh process of its own so
 * that the client's CPU time is its own, and prints one Markdown table. Run it with {@code benchmarks/run-comparison.sh}.
 *
 * <pre>
 * options: --url ws://HOST:PORT/socket   a Phoenix server with the reference app's room:* and game:* channels
 *          --phoenix 1.7|1.8            starts that real Phoenix server (../shared/phoenix, or --phoenix-dir) on a
 *                                       free port (or --phoenix-port), and stops it at the end
 *          --clients ours,ours-netty,phoenixjs,javaphoenixclient,raw
 *          --workloads w1cold,w1warm,w1,w1x4,w2,w3cold,w3warm,w3,w4
 *                                       crowd = crowd300,crowd800 (not in the default list: JVM clients
 *                                       without Presence cannot run it)
 *          --quick                      short runs and 500 sockets in W4: a smoke test, not a measurement
 *          key=value                    passed to every client (warmup_ms, measure_ms, sockets, ...)
 * </pre>
 *
 * <p>{@code w1}/{@code w3} warm up for 3 s and measure 5 s. The counted variants are what an application sees:
 * {@code w1cold} measures 20,000 replies after 5,000 warm-up replies, {@code w3cold} 200,000 ticks with no warm-up,
 * {@code w1warm} 100,000 replies after 100,000, {@code w3warm} 200,000 ticks after 400,000.
 */
public final class Compare {
  private static final List<String> ALL_CLIENTS =
      List.of("ours", "ours-netty", "phoenixjs", "javaphoenixclient", "raw");
  private static final List<String> ALL_WORKLOADS = List.of("w1", "w1x4", "w2", "w3", "w4");
  /** The workloads against a real Phoenix server: cold and warm figures apart. */
  private static final List<String> PHOENIX_WORKLOADS =
      List.of("w1cold", "w1warm", "w3cold", "w3warm", "w2", "w4");
  /** A counted variant: the workload it runs, and its options (before the user's, which win). */
  private static final Map<String, List<String>> VARIANTS = Map.of(
      "w1cold", List.of("w1", "warmup_ops=5000", "measure_ops=20000"),
      "w1warm", List.of("w1", "warmup_ops=100000", "measure_ops=100000"),
      "w3cold", List.of("w3", "warmup_ops=0", "measure_ops=200000"),
      "w3warm", List.of("w3", "warmup_ops=400000", "measure_ops=200000"));
  /** The counted variants in a smoke test: a tenth of the counts. */
  private static final Map<String, List<String>> QUICK_VARIANTS = Map.of(
      "w1cold", List.of("warmup_ops=500", "measure_ops=2000"),
      "w1warm", List.of("warmup_ops=10000", "measure_ops=10000"),
      "w3cold", List.of("warmup_ops=0", "measure_ops=20000"),
      "w3warm", List.of("warmup_ops=40000", "measure_ops=20000"));
  private static final String SMOKE = "SMOKE TEST (--quick): short runs to check that everything runs; these figures "
      + "are not a measurement";
  private static final Map<String, String> LABELS = Map.of(
      "ours", "ours (JDK WebSocket)",
      "ours-netty", "ours (Netty)",
      "phoenixjs", "phoenix.js 1.8.16",
      "javaphoenixclient", "JavaPhoenixClient 1.3.1",
      "raw", "raw JDK WebSocket");
  /**
   * JavaPhoenixClient starts about three threads per socket and stops joining near 4,000 sockets (20,000 threads
   * for 10,000 sockets, 64 joined, seen here): it runs W4 with 2,000 sockets unless told otherwise, so that one run
   * does not flood a shared machine with threads for a minute.
   */
  private static final List<String> DEFAULTS = List.of("javaphoenixclient.w4.sockets=2000");
  private static final List<String> QUICK = List.of("warmup_ms=500", "measure_ms=1000", "latency_measure_ms=2000",
      "deadline_ms=20000");

  private final ObjectMapper mapper = new ObjectMapper();
  private final Path logs;
  private final String java;
  private final String classPath;
  private final Path phoenixJs;
  private boolean quick;
  private String serverLabel;

  private Compare(Path logs) {
    this.logs = logs;
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.classPath = System.getProperty("java.class.path");
    this.phoenixJs = Path.of(System.getProperty("bench.phoenixjs", "benchmarks/phoenixjs"));
  }

  /**
   * Runs the comparison.
   *
   * @param args see the class comment
   * @throws Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    String url = null;
    String phoenix = null;
    Path phoenixDir = Path.of("..", "shared", "phoenix");
    int phoenixPort = 0;
    List<String> clients = ALL_CLIENTS;
    List<String> workloads = null;
    boolean quick = false;
    List<String> passOn = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--phoenix" -> phoenix = args[++i];
        case "--phoenix-dir" -> phoenixDir = Path.of(args[++i]);
        case "--phoenix-port" -> phoenixPort = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Arrays.asList(args[++i].split(","));
        case "--workloads" -> workloads = Arrays.stream(args[++i].split(","))
            .flatMap(w -> w.equals("crowd") ? Stream.of("crowd300", "crowd800") : Stream.of(w)).toList();
        case "--quick" -> quick = true;
        default -> {
          if (!args[i].contains("=")) {
            System.err.println("unknown option " + args[i] + "; see the Javadoc of " + Compare.class.getName());
            System.exit(2);
          }
          passOn.add(args[i]);
        }
      }
    }
    if (phoenix != null && !phoenix.equals("1.7") && !phoenix.equals("1.8")) {
      System.err.println("--phoenix takes 1.7 or 1.8, got " + phoenix);
      System.exit(2);
    }
    if (workloads == null) {
      workloads = phoenix != null ? PHOENIX_WORKLOADS : ALL_WORKLOADS;
    }
    List<String> options = new ArrayList<>(DEFAULTS);
    if (quick) {
      System.out.println(SMOKE);
      options.addAll(QUICK);
      options.add("w4.sockets=500");
      options.add("javaphoenixclient.w4.sockets=500");
    }
    options.addAll(passOn);
    Path logs = Path.of("benchmarks", "target", "comparison-" + Instant.now().toString().replace(':', '-'));
    Files.createDirectories(logs);
    Compare compare = new Compare(logs);
    compare.quick = quick;
    if (phoenix == null) {
      compare.run(url, clients, workloads, options);
      return;
    }
    int port = phoenixPort > 0 ? phoenixPort : freePort();
    RealPhoenix server = RealPhoenix.start(phoenixDir, phoenix, port);
    try {
      compare.serverLabel = "real Phoenix " + phoenix + " (" + phoenixDir + ", port " + port + ")";
      compare.run(server.url(), clients, workloads, options);
    } finally {
      server.stop();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private void run(String givenUrl, List<String> clients, List<String> workloads, List<String> options)
      throws Exception {
    long started = System.nanoTime();
    String loadBefore = loadAverage();
    Process server = null;
    String url = givenUrl;
    if (url == null) {
      server = startServer();
      url = readServerUrl(server);
    }
    System.out.println("server " + url + (server != null ? " (the test server's reference app, pid " + server.pid()
        + ")" : serverLabel != null ? " (" + serverLabel + ")" : ""));
    System.out.println("load average before: " + loadBefore);
    Map<String, Map<String, JsonNode>> results = new LinkedHashMap<>();
    try (PrintWriter json = new PrintWriter(Files.newBufferedWriter(logs.resolve("results.jsonl")))) {
      for (String workload : workloads) {
        for (String client : clients) {
          JsonNode result = runVariant(client, workload, url, options);
          results.computeIfAbsent(workload, w -> new LinkedHashMap<>()).put(client, result);
          json.println(mapper.writeValueAsString(result));
          json.flush();
          System.out.println(workload + " " + client + ": " + result);
          // Let the server close what the client process left behind before the next run.
          Thread.sleep(workload.equals("w4") || workload.startsWith("crowd") ? 5000 : 1000);
        }
      }
    } finally {
      if (server != null) {
        server.getOutputStream().close();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
    }
    String table = ComparisonTable.render(clients, LABELS, results);
    Duration wall = Duration.ofNanos(System.nanoTime() - started);
    String against = server != null ? "the in-JVM test server (Jetty), not real Phoenix"
        : serverLabel != null ? serverLabel : url;
    String footer = "server: " + against + "; wall time " + wall.toSeconds() + " s; load average before "
        + loadBefore + ", after " + loadAverage() + "; logs and raw results in " + logs
        + (quick ? "\n" + SMOKE : "");
    Files.writeString(logs.resolve("table.md"), table + "\n" + footer + "\n");
    System.out.println();
    System.out.print(table);
    System.out.println();
    System.out.println(footer);
  }

  /**
   * Options for one run: {@code sockets=...} applies to every run, {@code w4.sockets=...} to W4 only,
   * {@code javaphoenixclient.w4.sockets=...} to one client's W4 only; later options win over earlier ones.
   */
  private static List<String> optionsFor(String client, String workload, List<String> options) {
    List<String> result = new ArrayList<>();
    for (String option : options) {
      String key = option.substring(0, option.indexOf('='));
      if (option.startsWith(client + "." + workload + ".")) {
        result.add(option.substring(client.length() + workload.length() + 2));
      } else if (option.startsWith(workload + ".")) {
        result.add(option.substring(workload.length() + 1));
      } else if (!key.contains(".")) {
        result.add(option);
      }
    }
    return result;
  }

  private Process startServer() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx4g", "-cp", classPath, BenchServer.class.getName());
    builder.redirectError(logs.resolve("server.log").toFile());
    return builder.start();
  }

  private static String readServerUrl(Process server) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("URL ")) {
        return line.substring(4).trim();
      }
    }
    throw new IOException("the server ended before printing its URL; see server.log");
  }

  /** Runs a workload, or a counted variant of one with its preset options. */
  private JsonNode runVariant(String client, String workload, String url, List<String> options) throws Exception {
    List<String> variant = VARIANTS.get(workload);
    if (variant == null) {
      return runClient(client, workload, url, optionsFor(client, workload, options));
    }
    String base = variant.get(0);
    List<String> merged = new ArrayList<>(variant.subList(1, variant.size()));
    if (quick) {
      merged.addAll(QUICK_VARIANTS.get(workload));
    }
    merged.addAll(optionsFor(client, base, options));
    return runClient(client, base, url, merged);
  }

  private JsonNode runClient(String client, String workload, String url, List<String> options) throws Exception {
    List<String> command = new ArrayList<>();
    if (client.equals("phoenixjs")) {
      Path script = phoenixJs.resolve("client.js");
      if (!Files.isDirectory(phoenixJs.resolve("node_modules"))) {
        throw new IllegalStateException("phoenix.js is not installed: run npm ci --prefix " + phoenixJs);
      }
      command.addAll(List.of("node", "--expose-gc", "--max-old-space-size=4096", script.toString(), workload, url));
    } else {
      command.addAll(List.of(java, "-Xmx4g", "-cp", classPath, ClientMain.class.getName(), client, workload, url));
    }
    command.addAll(options);
    ProcessBuilder builder = new ProcessBuilder(command);
    Path log = logs.resolve(workload + "-" + client + ".log");
    builder.redirectError(log.toFile());
    Process process = builder.start();
    process.getOutputStream().close();
    String resultLine;
    List<String> other = new ArrayList<>();
    StringBuilder found = new StringBuilder();
    // Reads on a thread of its own, so that a client that hangs cannot hold the runner past its time budget.
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.startsWith("RESULT ")) {
            synchronized (found) {
              found.append(line.substring(7));
            }
          } else {
            synchronized (other) {
              other.add(line);
            }
          }
        }
      } catch (IOException e) {
        // The process is gone; what was read is what there is.
      }
    });
    reader.start();
    boolean ended = process.waitFor(timeoutSeconds(workload, options), TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    reader.join(5000);
    synchronized (found) {
      resultLine = found.length() == 0 ? null : found.toString();
    }
    synchronized (other) {
      if (!other.isEmpty()) {
        Files.write(log, other, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      }
    }
    if (resultLine == null) {
      return mapper.createObjectNode().put("client", client).put("workload", workload)
          .put("failed", ended ? "no result (exit " + process.exitValue() + "); see " + log : "timed out; see " + log);
    }
    return mapper.readTree(resultLine);
  }

  /** A run's time budget: its own durations and deadlines plus start-up, so a hung client cannot stall the rest. */
  private static long timeoutSeconds(String workload, List<String> options) {
    long millis = 0;
    for (String option : options) {
      if (option.startsWith("deadline_ms=") && (workload.equals("w4") || workload.startsWith("crowd"))) {
        millis = 2 * Long.parseLong(option.substring("deadline_ms=".length()));
      }
    }
    boolean counted = options.stream().anyMatch(option -> option.startsWith("measure_ops="));
    return workload.equals("w4") || workload.startsWith("crowd") ? Math.max(millis / 1000, 120) + 30
        : counted ? 300 : 60;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
