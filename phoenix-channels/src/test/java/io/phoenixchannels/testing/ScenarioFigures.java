package io.phoenixchannels.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The figures of one reliability scenario, as a test measured them: how many operations it made and how each
 * ended (acknowledged by the server, timed out or failed and reported to the caller, lost, duplicated), and how
 * long the client took to recover from the faults. {@link #write()} saves them as JSON in
 * {@code target/reliability/<id>.json} of the module under test; {@code tools/reliability-table.py} turns those
 * files into the table of {@code docs/RELIABILITY.md}. Not thread-safe: fill it in on the test thread.
 */
public final class ScenarioFigures {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String id;
  private final String scenario;
  private String unit = "pushes";
  private long operations;
  private long acknowledged;
  private long timedOut;
  private long failed;
  private long lost;
  private long duplicated;
  private final List<Duration> recoveries = new ArrayList<>();
  private String clock = "wall";
  private final List<String> notes = new ArrayList<>();
  private final List<String> notApplicable = new ArrayList<>();
  private final long startNanos = System.nanoTime();

  /**
   * Starts the figures of a scenario; the wall time runs from here to {@link #write()}.
   *
   * @param id the file name, such as {@code fault-server-restart}; the table sorts by it
   * @param scenario what the table calls the scenario
   */
  public ScenarioFigures(String id, String scenario) {
    this.id = Objects.requireNonNull(id, "id");
    this.scenario = Objects.requireNonNull(scenario, "scenario");
  }

  /** What the operations are, such as "pushes" or "frames"; "pushes" by default. */
  public ScenarioFigures unit(String unit) {
    this.unit = unit;
    return this;
  }

  /** Adds to the count of operations made. */
  public ScenarioFigures operations(long count) {
    operations += count;
    return this;
  }

  /** Adds to the count of operations the server answered (an ok or error reply). */
  public ScenarioFigures acknowledged(long count) {
    acknowledged += count;
    return this;
  }

  /** Adds to the count of operations that ended with a timeout reported to the caller. */
  public ScenarioFigures timedOut(long count) {
    timedOut += count;
    return this;
  }

  /** Adds to the count of operations that failed on the client side and said so to the caller. */
  public ScenarioFigures failed(long count) {
    failed += count;
    return this;
  }

  /** Adds to the count of operations that ended without any outcome reaching the caller. */
  public ScenarioFigures lost(long count) {
    lost += count;
    return this;
  }

  /** Adds to the count of operations that had more than one outcome, or reached the server more than once. */
  public ScenarioFigures duplicated(long count) {
    duplicated += count;
    return this;
  }

  /** Records how long one recovery took: from a fault (or its end) until the client was fully back. */
  public ScenarioFigures recovery(Duration took) {
    recoveries.add(took);
    return this;
  }

  /** Says that the recovery times are on a {@code ManualEventLoop}'s clock, not the wall clock. */
  public ScenarioFigures manualClock() {
    clock = "manual";
    return this;
  }

  /** Adds a short remark for the table, such as a resource count. */
  public ScenarioFigures note(String note) {
    notes.add(note);
    return this;
  }

  /**
   * Marks columns that mean nothing for this scenario ({@code "acknowledged"}, {@code "timedOutOrFailed"}); the
   * table shows a dash there.
   */
  public ScenarioFigures notApplicable(String... columns) {
    notApplicable.addAll(List.of(columns));
    return this;
  }

  public long lost() {
    return lost;
  }

  public long duplicated() {
    return duplicated;
  }

  /** Writes {@code target/reliability/<id>.json}, relative to the working directory (the module, under Maven). */
  public Path write() {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("id", id);
    json.put("scenario", scenario);
    json.put("unit", unit);
    json.put("operations", operations);
    json.put("acknowledged", acknowledged);
    json.put("timedOut", timedOut);
    json.put("failed", failed);
    json.put("lost", lost);
    json.put("duplicated", duplicated);
    json.put("recoveries", recoveries.size());
    if (!recoveries.isEmpty()) {
      List<Duration> sorted = new ArrayList<>(recoveries);
      Collections.sort(sorted);
      json.put("recoveryMedianMillis", sorted.get((sorted.size() - 1) / 2).toMillis());
      json.put("recoveryMaxMillis", sorted.get(sorted.size() - 1).toMillis());
    }
    json.put("clock", clock);
    json.put("wallMillis", Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
    notes.forEach(json.withArray("notes")::add);
    notApplicable.forEach(json.withArray("notApplicable")::add);
    Path file = Path.of("target", "reliability", id + ".json");
    try {
      Files.createDirectories(file.getParent());
      MAPPER.writeValue(file.toFile(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
