package io.phoenixchannels.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Lays the results out as one Markdown table: a row per figure, a column per client, each with its ratio to ours. */
final class ComparisonTable {
  /** One figure: which workload's result, which field, how to print it. */
  private record Row(String workload, String label, String field, int decimals) {}

  private static final List<Row> ROWS = List.of(
      new Row("w1cold", "W1 cold (after 5,000 replies): client CPU µs per reply", "cpu_us_per_op", 1),
      new Row("w1warm", "W1 warm (after 100,000 replies): client CPU µs per reply", "cpu_us_per_op", 1),
      new Row("w1warm", "W1 warm: replies/s", "ops_per_sec", 0),
      new Row("w3cold", "W3 cold (first 200,000 ticks): client CPU µs per message", "cpu_us_per_op", 2),
      new Row("w3warm", "W3 warm (after 400,000 ticks): client CPU µs per message", "cpu_us_per_op", 2),
      new Row("w3warm", "W3 warm: messages/s", "ops_per_sec", 0),
      new Row("w1", "W1 echo, 1 socket, 100 in flight: replies/s", "ops_per_sec", 0),
      new Row("w1", "W1 echo, 1 socket: client CPU µs per reply", "cpu_us_per_op", 1),
      new Row("w1x4", "W1 echo, 4 sockets × 100 in flight: replies/s", "ops_per_sec", 0),
      new Row("w1x4", "W1 echo, 4 sockets: client CPU µs per reply", "cpu_us_per_op", 1),
      new Row("w2", "W2 latency at 2,000 pushes/s: p50 ms", "p50_ms", 2),
      new Row("w2", "W2 p99 ms", "p99_ms", 2),
      new Row("w2", "W2 p99.9 ms", "p999_ms", 2),
      new Row("w2", "W2 max ms", "max_ms", 2),
      new Row("w2", "W2 p99 ms from the actual send", "sent_p99_ms", 2),
      new Row("w2", "W2 client CPU µs per push", "cpu_us_per_op", 1),
      new Row("w3", "W3 inbound pushes to a handler: messages/s", "ops_per_sec", 0),
      new Row("w3", "W3 client CPU µs per message", "cpu_us_per_op", 2),
      new Row("w4", "W4 sockets opened", "sockets", 0),
      new Row("w4", "W4 sockets joined", "joined", 0),
      new Row("w4", "W4 time to all joined, s", "join_seconds", 2),
      new Row("w4", "W4 client CPU µs per socket joined", "join_cpu_us_per_socket", 0),
      new Row("w4", "W4 live Java threads (Node: OS threads)", "java_threads", 0),
      new Row("w4", "W4 OS threads of the process", "os_threads", 0),
      new Row("w4", "W4 retained heap per socket, KB", "heap_kb_per_socket", 1),
      new Row("w4", "W4 broadcast: sockets reached", "broadcast_received", 0),
      new Row("w4", "W4 broadcast: time to the last, ms", "broadcast_ms", 1),
      new Row("crowd300", "Crowd, 300 users in one room: lists holding all 300", "lists_converged", 0),
      new Row("crowd300", "Crowd 300: time until every list holds 300, s", "converge_seconds", 2),
      new Row("crowd300", "Crowd 300: client CPU until then, s", "cpu_seconds", 2),
      new Row("crowd800", "Crowd, 800 users in one room: lists holding all 800", "lists_converged", 0),
      new Row("crowd800", "Crowd 800: time until every list holds 800, s", "converge_seconds", 2),
      new Row("crowd800", "Crowd 800: client CPU until then, s", "cpu_seconds", 2));

  private ComparisonTable() {}

  /**
   * Renders the table.
   *
   * @param clients the columns, ours first
   * @param labels the column headings
   * @param results workload → client → result
   * @return Markdown
   */
  static String render(List<String> clients, Map<String, String> labels, Map<String, Map<String, JsonNode>> results) {
    StringBuilder out = new StringBuilder();
    out.append("| figure |");
    for (String client : clients) {
      out.append(' ').append(labels.getOrDefault(client, client)).append(" |");
    }
    out.append('\n').append("|---|");
    out.append("---:|".repeat(clients.size())).append('\n');
    for (Row row : ROWS) {
      Map<String, JsonNode> byClient = results.get(row.workload);
      if (byClient == null) {
        continue;
      }
      out.append("| ").append(row.label).append(" |");
      Double ours = value(byClient.get(clients.get(0)), row.field);
      for (String client : clients) {
        out.append(' ').append(cell(byClient.get(client), row, ours, client.equals(clients.get(0)))).append(" |");
      }
      out.append('\n');
    }
    out.append("| errors and failed runs |");
    for (String client : clients) {
      long errors = 0;
      List<String> failed = new ArrayList<>();
      for (Map.Entry<String, Map<String, JsonNode>> workload : results.entrySet()) {
        JsonNode result = workload.getValue().get(client);
        if (result == null) {
          continue;
        }
        errors += result.path("errors").asLong(0);
        if (result.hasNonNull("failed")) {
          failed.add(workload.getKey());
        }
      }
      out.append(' ').append(errors).append(failed.isEmpty() ? "" : "; failed: " + String.join(", ", failed))
          .append(" |");
    }
    out.append('\n');
    return out.toString();
  }

  private static String cell(JsonNode result, Row row, Double ours, boolean isOurs) {
    if (result == null) {
      return "not run";
    }
    Double value = value(result, row.field);
    if (value == null) {
      return result.hasNonNull("failed") ? "failed" : "—";
    }
    String text = String.format(Locale.ROOT, "%,." + row.decimals + "f", value);
    if (isOurs || ours == null || ours == 0) {
      return text;
    }
    return text + String.format(Locale.ROOT, " (%.2f×)", value / ours);
  }

  /** Reads a figure; two are derived from the results' units (bytes, seconds) for readability. */
  private static Double value(JsonNode result, String field) {
    if (result == null) {
      return null;
    }
    return switch (field) {
      case "heap_kb_per_socket" -> number(result, "heap_bytes_per_socket", 1.0 / 1024);
      case "broadcast_ms" -> number(result, "broadcast_seconds", 1000);
      default -> number(result, field, 1);
    };
  }

  private static Double number(JsonNode result, String field, double scale) {
    JsonNode node = result.get(field);
    return node == null || !node.isNumber() ? null : node.asDouble() * scale;
  }
}
