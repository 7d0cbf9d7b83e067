package io.phoenixchannels.cli;

import io.phoenixchannels.Reply;
import io.phoenixchannels.testserver.PhoenixTestServer;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ReferenceApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;

/**
 * The demo's story, step by step: a server, three clients, joins and Presence, a chat broadcast, a push and its
 * reply, a push that times out, a channel crash and its automatic rejoin, the server restarting and every client
 * reconnecting and rejoining on its own; then a summary. Every wait has a deadline, so a demo that cannot go on
 * says which step failed and ends instead of hanging.
 */
final class DemoRun {
  private static final int STEPS = 8;
  private static final Duration NO_REPLY_TIMEOUT = Duration.ofMillis(500);
  private static final Duration CRASH_PUSH_TIMEOUT = Duration.ofMillis(800);

  private final Narrator narrator;
  private final String remoteUrl;
  private final Duration stepTimeout;
  private final Conditions conditions = new Conditions();
  private final List<DemoClient> clients = new ArrayList<>();
  private int pushesOk;
  private int pushesTimedOut;

  /**
   * @param remoteUrl a real Phoenix server implementing the reference app, or {@code null} for the embedded one
   * @param stepTimeout how long each step may take
   */
  DemoRun(EventPrinter printer, String remoteUrl, Duration stepTimeout) {
    this.narrator = new Narrator(printer, STEPS);
    this.remoteUrl = remoteUrl;
    this.stepTimeout = stepTimeout;
  }

  /** Runs the story; returns the exit code. */
  int run() throws InterruptedException {
    long started = System.nanoTime();
    ExecutorService callbacks = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "phx-demo-callbacks");
      thread.setDaemon(true);
      return thread;
    });
    PhoenixTestServer server = null;
    try {
      narrator.step(remoteUrl == null ? "Start the reference Phoenix app, embedded" : "Use the server at "
          + remoteUrl);
      String url;
      if (remoteUrl == null) {
        server = ReferenceApp.configure(PhoenixTestServer.builder().version(PhoenixVersion.PHOENIX_1_8)
            .recordFrames(false).logger(LineLogger.silent("phx-demo-server"))).start();
        url = server.url();
        narrator.say("listening on " + url + ": room:* channels with Presence, as in the conformance traces");
      } else {
        url = remoteUrl;
      }
      for (String[] user : new String[][] {{"ada", "Ada"}, {"grace", "Grace"}, {"linus", "Linus"}}) {
        clients.add(new DemoClient(user[0], user[1], url, callbacks, narrator, conditions));
      }

      narrator.step("Three clients connect");
      narrator.say("each is a PhoenixSocket; their callbacks run on one executor, so this story is told in order");
      clients.forEach(DemoClient::connect);
      awaitAll("every client connected", client -> client.opens() >= 1 ? 1 : 0);

      narrator.step("Join " + DemoClient.LOBBY + " and sync Presence");
      narrator.say("each joins with its name; the server tracks it in Presence and pushes presence_state and diffs");
      clients.forEach(DemoClient::join);
      awaitAll("every client joined", client -> client.joins() >= 1 ? 1 : 0);
      awaitAll("every client seeing three online", DemoRun::seesEveryone);

      narrator.step("Chat: a broadcast reaches everyone");
      narrator.say("ada pushes \"broadcast\"; the server broadcasts \"broadcasted\" to every member");
      push(clients.get(0), "broadcast", Map.of("from", "ada", "body", "Hello, everyone!"), stepTimeout);
      awaitAll("the broadcast reaching every client", client -> client.broadcastsReceived() >= 1 ? 1 : 0);

      narrator.step("Push and reply");
      long sent = System.nanoTime();
      Reply echo = push(clients.get(1), "echo", Map.of("body", "ping"), stepTimeout);
      narrator.say("grace pushed \"echo\"; the reply came back " + echo.status() + " " + Json.compact(echo.response())
          + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) + " ms");

      narrator.step("A push that times out");
      narrator.say("linus pushes \"noreply\", which the server never answers, with a " + NO_REPLY_TIMEOUT.toMillis()
          + " ms timeout");
      Reply silence = push(clients.get(2), "noreply", Map.of(), NO_REPLY_TIMEOUT);
      narrator.say("linus's push ended with status \"" + silence.status() + "\": the client gave up waiting, "
          + "nothing hangs");

      narrator.step("A channel crashes and rejoins by itself");
      narrator.say("ada pushes \"crash\": the channel process raises, the server sends phx_error");
      DemoClient ada = clients.get(0);
      Reply crash = push(ada, "crash", Map.of(), CRASH_PUSH_TIMEOUT);
      narrator.say("the crashing push was never answered (" + crash.status() + "), as on a real server");
      await("ada's channel crashing and rejoining", () -> ada.crashes() >= 1 && ada.joins() >= 2);
      awaitAll("every client seeing three online again", DemoRun::seesEveryone);

      narrator.step("The server goes away; every client reconnects and rejoins on its own");
      int joinsBefore = totalOf(DemoClient::joins);
      if (server != null) {
        narrator.say("the server restarts on port " + server.port() + ": every WebSocket is closed with 1001");
        server.restart();
        narrator.say("the server is back");
      } else {
        narrator.say("each client pushes \"disconnect_me\": the server closes its socket");
        for (DemoClient client : clients) {
          push(client, "disconnect_me", Map.of(), stepTimeout);
        }
      }
      awaitAll("every client dropped and reconnected", client -> client.drops() >= 1 && client.connected() ? 1 : 0);
      await("every client rejoined", () -> totalOf(DemoClient::joins) >= joinsBefore + clients.size());
      awaitAll("every client seeing three online again", DemoRun::seesEveryone);

      narrator.summary(summary(started));
      narrator.say("Every step completed: connect, join, Presence, broadcast, reply, timeout, crash and rejoin, "
          + "reconnect and rejoin.");
      narrator.close(); // the clients leaving at the end is not part of the story
      return ExitCode.OK;
    } catch (DemoStepFailed failure) {
      narrator.fail("the demo stopped: " + failure.getMessage());
      narrator.close();
      return ExitCode.ERROR;
    } finally {
      clients.forEach(DemoClient::close);
      if (server != null) {
        server.close();
      }
      callbacks.shutdownNow();
    }
  }

  /** Pushes and waits for the outcome, whatever it is, within the step's deadline. */
  private Reply push(DemoClient client, String event, Object payload, Duration timeout) throws InterruptedException {
    try {
      Reply reply = PushOutcome.first(client.push(event, payload, timeout), outcome -> { })
          .get(timeout.plus(stepTimeout).toMillis(), TimeUnit.MILLISECONDS);
      if (reply.isOk()) {
        pushesOk++;
      } else if (Reply.TIMEOUT.equals(reply.status())) {
        pushesTimedOut++;
      }
      return reply;
    } catch (ExecutionException | TimeoutException e) {
      throw new DemoStepFailed(client.id() + "'s push of \"" + event + "\" got no outcome: " + e);
    }
  }

  private void await(String what, java.util.function.BooleanSupplier holds) throws InterruptedException {
    conditions.await(what, holds, stepTimeout);
  }

  private void awaitAll(String what, ToIntFunction<DemoClient> done) throws InterruptedException {
    await(what, () -> clients.stream().mapToInt(done).sum() == clients.size());
  }

  /** A client whose current Presence list, synced since its latest join, has all three users. */
  private static int seesEveryone(DemoClient client) {
    return client.syncedSinceJoin() && client.online().size() == 3 ? 1 : 0;
  }

  private int totalOf(ToIntFunction<DemoClient> counter) {
    return clients.stream().mapToInt(counter).sum();
  }

  private Map<String, Object> summary(long started) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("clients", clients.size());
    figures.put("connections opened", totalOf(DemoClient::opens));
    figures.put("reconnects", totalOf(DemoClient::opens) - clients.size());
    figures.put("failed reconnect attempts", totalOf(DemoClient::failedAttempts));
    figures.put("joins (rejoins included)", totalOf(DemoClient::joins));
    figures.put("channel crashes survived", totalOf(DemoClient::crashes));
    figures.put("broadcasts received", totalOf(DemoClient::broadcastsReceived));
    figures.put("pushes answered ok", pushesOk);
    figures.put("pushes timed out", pushesTimedOut);
    figures.put("seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
    return figures;
  }
}
