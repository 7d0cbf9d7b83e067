package io.phoenixchannels.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
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
 *          --clients ours,ours-netty,phoenixjs,javaphoenixclient,raw
 *          --workloads w1,w1x4,w2,w3,w4   crowd = crowd300,crowd800 (not in the default list: JVM clients
 *                                         without Presence cannot run it)
 *          --quick                      short runs and 500 sockets in W4: a smoke test, not a measurement
 *          key=value                    passed to every client (warmup_ms, measure_ms, sockets, ...)
 * </pre>
 */
public final class Compare {
  private static final List<String> ALL_CLIENTS =
      List.of("ours", "ours-netty", "phoenixjs", "javaphoenixclient", "raw");
  private static final List<String> ALL_WORKLOADS = List.of("w1", "w1x4", "w2", "w3", "w4");
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
    List<String> clients = ALL_CLIENTS;
    List<String> workloads = ALL_WORKLOADS;
    boolean quick = false;
    List<String> passOn = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
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
    List<String> options = new ArrayList<>(DEFAULTS);
    if (quick) {
      options.addAll(QUICK);
      options.add("w4.sockets=500");
      options.add("javaphoenixclient.w4.sockets=500");
    }
    options.addAll(passOn);
    Path logs = Path.of("benchmarks", "target", "comparison-" + Instant.now().toString().replace(':', '-'));
    Files.createDirectories(logs);
    new Compare(logs).run(url, clients, workloads, options);
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
    System.out.println("server " + url + (server == null ? "" : " (reference app, pid " + server.pid() + ")"));
    System.out.println("load average before: " + loadBefore);
    Map<String, Map<String, JsonNode>> results = new LinkedHashMap<>();
    try (PrintWriter json = new PrintWriter(Files.newBufferedWriter(logs.resolve("results.jsonl")))) {
      for (String workload : workloads) {
        for (String client : clients) {
          JsonNode result = runClient(client, workload, url, optionsFor(client, workload, options));
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
    String footer = "wall time " + wall.toSeconds() + " s; load average before " + loadBefore + ", after "
        + loadAverage() + "; logs and raw results in " + logs;
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
    return workload.equals("w4") || workload.startsWith("crowd") ? Math.max(millis / 1000, 120) + 30 : 60;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
