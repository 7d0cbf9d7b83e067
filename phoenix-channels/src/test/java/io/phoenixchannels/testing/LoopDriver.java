package io.phoenixchannels.testing;

import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ManualEventLoop;
import io.phoenixchannels.testing.ScriptedHttpServer.Exchange;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Drives a {@link ManualEventLoop} while real HTTP exchanges run: an answer the scripted server sends reaches the
 * long-poll transport as a task on the loop, so the test thread runs the loop while it waits. Never sleeps: it
 * polls with Awaitility, in the test thread (the only one that may run a manual loop).
 */
public final class LoopDriver {
  /** How long anything real may take. */
  public static final Duration WAIT = Duration.ofSeconds(5);

  private final ManualEventLoop loop;
  private final ScriptedHttpServer server;

  public LoopDriver(ManualEventLoop loop, ScriptedHttpServer server) {
    this.loop = loop;
    this.server = server;
  }

  /** Runs the loop until the condition holds. */
  public void until(BooleanSupplier condition) {
    await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(2)).until(() -> {
      loop.runPending();
      return condition.getAsBoolean();
    });
  }

  /** The next GET, running the loop meanwhile. */
  public Exchange nextGet() throws InterruptedException {
    return next("GET");
  }

  /** The next POST, running the loop meanwhile. */
  public Exchange nextPost() throws InterruptedException {
    return next("POST");
  }

  private Exchange next(String method) throws InterruptedException {
    until(() -> server.waiting().stream().anyMatch(exchange -> exchange.method().equals(method)));
    return server.take(exchange -> exchange.method().equals(method), WAIT);
  }
}
