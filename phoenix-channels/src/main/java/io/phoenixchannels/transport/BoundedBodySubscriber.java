package io.phoenixchannels.transport;

import io.phoenixchannels.internal.AndroidExempt;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a limit: a body that grows past it is cancelled as soon as it does, so a server
 * cannot make the client buffer an unbounded answer. The JDK's {@code ofByteArray()} has no limit. Its methods are
 * called by the HTTP client, one at a time, as the reactive-streams rules require.
 */
@AndroidExempt("part of the JDK long-poll transport: java.net.http, JVM only")
final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
  private final long limit;
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private final List<ByteBuffer> parts = new ArrayList<>();
  private Flow.Subscription subscription;
  private long size;

  private BoundedBodySubscriber(long limit) {
    this.limit = limit;
  }

  /**
   * Returns a body handler whose bodies may be at most {@code limit} bytes.
   *
   * @param limit the largest body accepted
   * @return the handler; a larger body fails the response with {@link TooLarge}
   */
  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return responseInfo -> new BoundedBodySubscriber(limit);
  }

  @Override
  public void onSubscribe(Flow.Subscription newSubscription) {
    subscription = newSubscription;
    newSubscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      size += item.remaining();
      if (size > limit) {
        parts.clear();
        subscription.cancel();
        body.completeExceptionally(new TooLarge(limit));
        return;
      }
      ByteBuffer copy = ByteBuffer.allocate(item.remaining());
      copy.put(item).flip();
      parts.add(copy);
    }
  }

  @Override
  public void onError(Throwable error) {
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    byte[] whole = new byte[(int) size];
    int at = 0;
    for (ByteBuffer part : parts) {
      int length = part.remaining();
      part.get(whole, at, length);
      at += length;
    }
    parts.clear();
    body.complete(whole);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  /** A body passed the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    /** The limit the body passed. */
    final long limit;

    TooLarge(long limit) {
      super("the response body is larger than " + limit + " bytes");
      this.limit = limit;
    }
  }
}
