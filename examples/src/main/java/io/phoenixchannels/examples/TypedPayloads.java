package io.phoenixchannels.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.phoenixchannels.ErrorReplyException;
import io.phoenixchannels.PhoenixChannel;
import io.phoenixchannels.PhoenixSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Records in and out: typed events, typed replies, typed errors, with futures instead of callbacks.
 */
public final class TypedPayloads {
  private TypedPayloads() {}

  /**
   * What the client posts.
   *
   * @param body the text
   */
  public record NewPost(String body) {}

  /**
   * What the server answers to a post.
   *
   * @param id the post's number
   */
  public record Posted(long id) {}

  /**
   * What the server answers when it refuses.
   *
   * @param reason why
   */
  public record Problem(String reason) {}

  /**
   * Posts one message and prints the outcome.
   *
   * @param socket a socket, connected or not
   * @return the future of the post's outcome, completed once it was printed
   */
  public static CompletableFuture<Void> post(PhoenixSocket socket) {
    // README:typed:begin
    PhoenixChannel room = socket.channel("room:lobby");
    room.on("new_msg", ChatMessage.class, msg -> System.out.println(msg.user() + ": " + msg.body()));

    return room.join().toFuture(JsonNode.class) // a refused join fails the chain too
        .thenCompose(joined -> room.push("post", new NewPost("hello")).toFuture(Posted.class))
        .handle((posted, error) -> {
          Throwable cause = error instanceof CompletionException ? error.getCause() : error; // from a later stage
          if (cause == null) {
            System.out.println("posted #" + posted.id());
          } else if (cause instanceof ErrorReplyException refused) {
            System.out.println("refused: " + refused.reply().as(Problem.class).reason());
          } else {
            System.out.println("failed: " + cause.getMessage()); // timeout, closed socket, ...
          }
          return null;
        });
    // README:typed:end
  }
}
