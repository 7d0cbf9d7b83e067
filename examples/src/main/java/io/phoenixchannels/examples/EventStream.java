package io.phoenixchannels.examples;

import io.phoenixchannels.Message;
import io.phoenixchannels.OverflowPolicy;
import io.phoenixchannels.PhoenixChannel;
import java.util.concurrent.Flow;

/**
 * A channel event as a {@link Flow.Publisher}: a subscriber that takes one message at a time, as slowly as it
 * likes; what it cannot keep up with is dropped, oldest first.
 */
public final class EventStream {
  private EventStream() {}

  /**
   * Prints the game's ticks, one request at a time.
   *
   * @param game a channel, joined or not
   */
  public static void printTicks(PhoenixChannel game) {
    // README:stream:begin
    Flow.Publisher<Message> ticks = game.publisher("tick", 256, OverflowPolicy.DROP_OLDEST);
    ticks.subscribe(new Flow.Subscriber<>() {
      private Flow.Subscription subscription;

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
      }

      @Override
      public void onNext(Message tick) {
        System.out.println("tick " + tick.payload().get("i"));
        subscription.request(1);
      }

      @Override
      public void onError(Throwable error) {
        System.out.println("stream failed: " + error);
      }

      @Override
      public void onComplete() {
        System.out.println("channel closed");
      }
    });
    // README:stream:end
  }
}
