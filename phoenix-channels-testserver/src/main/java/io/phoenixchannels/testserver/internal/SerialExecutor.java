package io.phoenixchannels.testserver.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks one at a time, in order, on a shared pool: the server's stand-in for a Phoenix socket process. A task
 * that throws is logged and does not stop the ones after it.
 */
final class SerialExecutor implements Executor {
  private final Executor pool;
  private final System.Logger logger;
  private final String name;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean scheduled;
  private volatile Thread runningOn;

  /** An executor over a shared pool; {@code name} appears in the log when a task fails. */
  SerialExecutor(Executor pool, System.Logger logger, String name) {
    this.pool = pool;
    this.logger = logger;
    this.name = name;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The server is shutting down: nothing will run any more.
      synchronized (tasks) {
        tasks.clear();
        scheduled = false;
      }
    }
  }

  /** Runs the task now when called from this executor's own task, else queues it. */
  void executeOrRun(Runnable task) {
    if (inExecutor()) {
      task.run();
    } else {
      execute(task);
    }
  }

  /** Tells whether the calling thread is running one of this executor's tasks. */
  boolean inExecutor() {
    return runningOn == Thread.currentThread();
  }

  private void drain() {
    runningOn = Thread.currentThread();
    try {
      while (true) {
        Runnable task;
        synchronized (tasks) {
          task = tasks.poll();
          if (task == null) {
            scheduled = false;
            return;
          }
        }
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          logger.log(Level.ERROR, name + ": a task failed; the connection keeps serving", e);
        }
      }
    } finally {
      runningOn = null;
    }
  }
}
