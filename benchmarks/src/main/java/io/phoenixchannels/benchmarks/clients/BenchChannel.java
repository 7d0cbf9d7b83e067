package io.phoenixchannels.benchmarks.clients;

import java.util.Map;

/** A joined channel of a {@link BenchSocket}. */
public interface BenchChannel {

  /**
   * Pushes an event; {@code onOk} runs, on whatever thread the client calls back on, when the ok reply arrives.
   *
   * @param event the event
   * @param payload the payload, the same object on every call of a workload
   * @param onOk called once with the ok reply; error replies and timeouts are counted as errors by the client
   */
  void push(String event, Map<String, Object> payload, Runnable onOk);

  /**
   * Registers a handler for an event the server pushes or broadcasts on this channel.
   *
   * @param event the event
   * @param handler called once per message
   */
  void on(String event, Runnable handler);
}
