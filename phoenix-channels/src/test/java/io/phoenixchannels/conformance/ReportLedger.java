package io.phoenixchannels.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What one client reported to the application, set against what phoenix.js reported in the trace's {@code note}
 * lines, in order.
 *
 * <p>Both sides are written in one vocabulary: a JSON object whose {@code msg} is phoenix.js's note text
 * ({@code "join(room:lobby) ok"}, {@code "socket.onClose"}, ...) and whose other fields are what the note recorded
 * ({@code resp}, {@code code}, {@code reason}, ...). A report matches an expected note when every field of the note
 * equals the report's; the report may carry more (a field phoenix.js did not record is not compared).
 *
 * <p>Timing: the client must have made each report by the time the replay has played the note's line (it reacts to
 * everything at once on the manual clock, phoenix.js a little later), and not more than {@link
 * TracePlayer#EARLY_LIMIT} before it. An expectation may instead wait for a named
 * later event of the trace, for two reasons the player names where it uses them: the client deliberately reports
 * later than phoenix.js ({@code mustWait}: reporting early is then a failure), or it reports at a different moment
 * of the same sequence.
 */
final class ReportLedger {
  private final String conn;
  private final LongSupplier clock;
  private final List<Report> reported = new ArrayList<>();
  private final ArrayDeque<Expectation> pending = new ArrayDeque<>();
  private int matched;
  private String now = "the start";

  ReportLedger(String conn, LongSupplier clock) {
    this.conn = conn;
    this.clock = clock;
  }

  /** Where the replay is, for messages: the trace line being played. */
  void at(String where) {
    now = where;
  }

  /** Something the client reported, now. */
  void record(ObjectNode report) {
    reported.add(new Report(report, now, clock.getAsLong()));
  }

  /** phoenix.js reported this at {@code where}; the client must have reported it too, by now. */
  void expect(ObjectNode expected, String where) {
    pending.add(new Expectation(expected, where, clock.getAsLong(), null, false));
  }

  /**
   * phoenix.js reported this at {@code where}; the client may report it up to the moment the player
   * {@linkplain #release releases} {@code waitsFor}, and when {@code mustWait}, not before.
   */
  void expectLater(ObjectNode expected, String where, String waitsFor, boolean mustWait) {
    pending.add(new Expectation(expected, where, clock.getAsLong(), waitsFor, mustWait));
  }

  /** The event that deferred expectations waited for has been played: they are due now. */
  void release(String event) {
    for (Expectation expectation : pending) {
      if (event.equals(expectation.waitsFor)) {
        expectation.waitsFor = null;
      }
    }
  }

  /** Matches reports to expectations in order; fails on a different report, a due expectation unmet, or a report
   * that came before the event it had to wait for. */
  void settle() {
    matchAvailable();
    for (Iterator<Expectation> it = pending.iterator(); it.hasNext(); ) {
      Expectation expected = it.next();
      if (expected.waitsFor == null) {
        throw new AssertionError(conn + ": phoenix.js reported " + expected.json + " at " + expected.where
            + "; this client had not by " + now + ". Reports so far: " + describeReported());
      }
    }
  }

  /** Tells whether something phoenix.js reported is due and the client has not reported it yet. */
  boolean isBehind() {
    matchAvailable();
    return pending.stream().anyMatch(expected -> expected.waitsFor == null);
  }

  private void matchAvailable() {
    while (!pending.isEmpty() && matched < reported.size()) {
      Expectation expected = pending.peek();
      Report actual = reported.get(matched);
      if (expected.mustWait && expected.waitsFor != null) {
        throw new AssertionError(conn + ": the client reported " + actual.json + " at " + actual.when
            + ", before " + expected.waitsFor + "; it must wait for that (phoenix.js reported it at "
            + expected.where + ")");
      }
      if (!matches(expected.json, actual.json)) {
        throw new AssertionError(conn + ": report #" + (matched + 1) + " differs.\n  phoenix.js (" + expected.where
            + "): " + expected.json + "\n  this client (" + actual.when + "): " + actual.json
            + "\n  reports so far: " + describeReported());
      }
      if (expected.atNanos - actual.atNanos > TracePlayer.EARLY_LIMIT.toNanos()) {
        throw new AssertionError(conn + ": the client reported " + actual.json + " at " + actual.when + ", "
            + (expected.atNanos - actual.atNanos) / 1_000_000 + " ms before phoenix.js did (" + expected.where
            + "): a timer of the client runs shorter than phoenix.js's");
      }
      pending.poll();
      matched++;
    }
  }

  /** At the end of the trace: nothing expected is missing and nothing was reported that phoenix.js did not. */
  void assertComplete() {
    settle();
    if (!pending.isEmpty()) {
      throw new AssertionError(conn + ": still waiting for " + pending.peek().json + " (phoenix.js at "
          + pending.peek().where + ", waiting for " + pending.peek().waitsFor + ")");
    }
    if (matched < reported.size()) {
      throw new AssertionError(conn + ": the client reported " + reported.get(matched).json + " at "
          + reported.get(matched).when + ", which phoenix.js did not report. Reports: " + describeReported());
    }
  }

  int count() {
    return reported.size();
  }

  private String describeReported() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < reported.size(); i++) {
      text.append("\n    ").append(i < matched ? "matched   " : "unmatched ").append(reported.get(i).json);
    }
    return text.toString();
  }

  private static boolean matches(JsonNode expected, JsonNode actual) {
    for (Map.Entry<String, JsonNode> field : expected.properties()) {
      if (!field.getValue().equals(actual.get(field.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private record Report(ObjectNode json, String when, long atNanos) {}

  private static final class Expectation {
    final ObjectNode json;
    final String where;
    final long atNanos;
    final boolean mustWait;
    String waitsFor;

    Expectation(ObjectNode json, String where, long atNanos, String waitsFor, boolean mustWait) {
      this.json = json;
      this.where = where;
      this.atNanos = atNanos;
      this.waitsFor = waitsFor;
      this.mustWait = mustWait;
    }
  }
}
