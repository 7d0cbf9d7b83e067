package io.phoenixchannels;

import io.phoenixchannels.internal.AndroidExempt;
import io.phoenixchannels.internal.log.Log.Level;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel's messages of one event as a {@link Flow.Publisher}: see {@link PhoenixChannel#publisher}.
 *
 * <p>Each subscription has its own bounded buffer. Messages reach it on the socket's callback executor, and every
 * signal to the subscriber is sent from there too, so the signals of a subscription never overlap (Reactive
 * Streams §1.3) and obey the socket's threading contract. {@code request} and {@code cancel} may come from any
 * thread: they update the demand or the flag at once and let the callback executor do the rest. A {@code request}
 * made inside {@code onNext} only adds demand, which the running delivery loop serves, so the stack never grows
 * (§3.3).
 */
@AndroidExempt("java.util.concurrent.Flow: Android API 30+; only publisher() creates one")
final class MessagePublisher implements Flow.Publisher<Message> {
  private final PhoenixChannel channel;
  private final String event;
  private final int bufferSize;
  private final OverflowPolicy overflow;

  MessagePublisher(PhoenixChannel channel, String event, int bufferSize, OverflowPolicy overflow) {
    this.channel = channel;
    this.event = event;
    this.bufferSize = bufferSize;
    this.overflow = overflow;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super Message> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    ChannelSubscription subscription = new ChannelSubscription(subscriber);
    if (!subscription.onCallbackExecutor(subscription::start)) {
      // The socket's loop has stopped, so there is no callback executor left: end the subscription here.
      subscriber.onSubscribe(subscription);
      subscriber.onComplete();
    }
  }

  private PhoenixSocket socket() {
    return channel.socket();
  }

  @AndroidExempt("java.util.concurrent.Flow: Android API 30+; only publisher() creates one")
  private final class ChannelSubscription implements Flow.Subscription {
    private final Flow.Subscriber<? super Message> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private volatile boolean cancelled;
    private volatile Subscription messages;
    private volatile Subscription closes;

    // Callback executor only.
    private final ArrayDeque<Message> buffer = new ArrayDeque<>();
    private boolean channelClosed;
    private boolean terminated;
    private boolean delivering;

    ChannelSubscription(Flow.Subscriber<? super Message> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        onCallbackExecutor(() -> fail(new IllegalArgumentException("Flow.Subscription.request(" + n + ") on '"
            + event + "' of '" + channel.topic() + "': the count must be positive (Reactive Streams rule 3.9)")));
        return;
      }
      demand.getAndUpdate(current -> current + n < 0 ? Long.MAX_VALUE : current + n);
      onCallbackExecutor(this::deliver);
    }

    @Override
    public void cancel() {
      cancelled = true;
      unsubscribe();
      onCallbackExecutor(buffer::clear);
    }

    /** Registers with the channel, then hands the subscription to the subscriber; on the callback executor. */
    void start() {
      messages = channel.on(event, this::received);
      closes = channel.onClose(why -> {
        channelClosed = true;
        deliver();
      });
      subscriber.onSubscribe(this);
      if (!socket().channels().contains(channel)) {
        // Closed before this subscription listened for it: there will be no close event.
        channelClosed = true;
        deliver();
      }
    }

    private void received(Message message) {
      if (cancelled || terminated) {
        return;
      }
      if (buffer.size() >= bufferSize) {
        switch (overflow) {
          case DROP_OLDEST -> buffer.poll();
          case DROP_NEWEST -> {
            return;
          }
          case ERROR -> {
            fail(new PhoenixException("the subscriber of '" + event + "' on '" + channel.topic() + "' fell "
                + "behind: " + bufferSize + " messages were waiting for its request(n) (OverflowPolicy.ERROR); "
                + "request sooner, raise the buffer size, or choose DROP_OLDEST or DROP_NEWEST"));
            return;
          }
          default -> throw new IllegalStateException("unknown policy " + overflow);
        }
      }
      buffer.add(message);
      deliver();
    }

    /** Sends what the demand allows, then completes once the channel closed and nothing is left. */
    private void deliver() {
      if (delivering) {
        return; // called from the subscriber's onNext: the loop below serves the new demand
      }
      delivering = true;
      try {
        while (!cancelled && !terminated) {
          if (!buffer.isEmpty() && demand.get() > 0) {
            Message next = buffer.poll();
            demand.getAndUpdate(current -> current == Long.MAX_VALUE ? current : current - 1);
            signalNext(next);
          } else if (channelClosed && buffer.isEmpty()) {
            terminated = true;
            unsubscribe();
            subscriber.onComplete();
          } else {
            return;
          }
        }
      } finally {
        delivering = false;
      }
    }

    private void signalNext(Message next) {
      try {
        subscriber.onNext(next);
      } catch (Throwable e) {
        // Rule 2.13: a subscriber that throws has broken the contract; treat the subscription as cancelled.
        cancel();
        socket().log(Level.WARNING, () -> "a subscriber of '" + event + "' on '" + channel.topic()
            + "' threw from onNext; its subscription is cancelled: " + e);
        throw e;
      }
    }

    private void fail(Throwable error) {
      if (terminated) {
        return;
      }
      terminated = true;
      cancelled = true;
      unsubscribe();
      buffer.clear();
      subscriber.onError(error);
    }

    private void unsubscribe() {
      Subscription registered = messages;
      if (registered != null) {
        registered.close();
      }
      Subscription closeListener = closes;
      if (closeListener != null) {
        closeListener.close();
      }
    }

    /** Runs a task on the socket's callback executor, after what is already there; false once the loop stopped. */
    boolean onCallbackExecutor(Runnable task) {
      try {
        socket().runOnLoop(() -> socket().dispatcher().dispatch(task));
        return true;
      } catch (IllegalStateException loopStopped) {
        return false;
      }
    }
  }
}
