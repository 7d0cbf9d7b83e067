package io.phoenixchannels.it.reliability;

import static org.awaitility.Awaitility.await;

import io.phoenixchannels.ChannelState;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Channels of one socket, joined, with the wall-clock time of every successful join attempt (the first join and
 * each rejoin), so that a scenario can tell when all of them were back after a fault. Thread-safe.
 */
final class JoinedChannels {
  private final List<PhoenixChannel> channels = new ArrayList<>();
  private final List<ConcurrentLinkedQueue<Long>> joinedAt = new ArrayList<>();
  private final List<ConcurrentLinkedQueue<Long>> refusedAt = new ArrayList<>();

  /** Creates and joins one channel per topic (without presence); the socket may connect before or after. */
  JoinedChannels(PhoenixSocket socket, List<String> topics) {
    for (String topic : topics) {
      PhoenixChannel channel = socket.channel(topic, Map.of("presence", false));
      ConcurrentLinkedQueue<Long> oks = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Long> refusals = new ConcurrentLinkedQueue<>();
      channel.join()
          .receive(Reply.OK, reply -> oks.add(System.nanoTime()))
          .receive(Reply.ERROR, reply -> refusals.add(System.nanoTime()));
      channels.add(channel);
      joinedAt.add(oks);
      refusedAt.add(refusals);
    }
  }

  /** Topics {@code prefix0} to {@code prefix(count-1)}. */
  static List<String> topics(String prefix, int count) {
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      topics.add(prefix + i);
    }
    return topics;
  }

  List<PhoenixChannel> channels() {
    return channels;
  }

  PhoenixChannel get(int index) {
    return channels.get(index);
  }

  /** Waits until every channel is joined. */
  void awaitAllJoined(Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(5)).until(this::allJoined);
  }

  boolean allJoined() {
    return channels.stream().allMatch(channel -> channel.state() == ChannelState.JOINED);
  }

  /** How many successful joins (first join and rejoins) each channel had. */
  List<Integer> joinCounts() {
    return joinedAt.stream().map(ConcurrentLinkedQueue::size).toList();
  }

  /** How many refused join attempts each channel had. */
  List<Integer> refusalCounts() {
    return refusedAt.stream().map(ConcurrentLinkedQueue::size).toList();
  }

  /**
   * Waits until every channel has joined again after a moment, and says how long the slowest took.
   *
   * @param since a {@link System#nanoTime()} reading: the fault, or its end
   * @param atMost how long to wait
   * @return from {@code since} to the last channel's first successful join after it
   */
  Duration awaitRejoinedSince(long since, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(5)).until(() -> allJoined()
        && joinedAt.stream().allMatch(oks -> oks.stream().anyMatch(t -> t > since)));
    long slowest = since;
    for (ConcurrentLinkedQueue<Long> oks : joinedAt) {
      long first = oks.stream().filter(t -> t > since).min(Long::compare).orElseThrow();
      slowest = Math.max(slowest, first);
    }
    return Duration.ofNanos(slowest - since);
  }
}
