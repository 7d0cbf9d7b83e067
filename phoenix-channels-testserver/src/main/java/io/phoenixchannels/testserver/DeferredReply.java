package io.phoenixchannels.testserver;

/**
 * A reply sent later, like Phoenix's {@code reply(socket_ref, {status, response})}: obtained from {@link
 * InboundEvent#deferReply()}, answered once from any thread. Only the first answer is sent; an answer after the
 * channel ended (crashed, stopped, left) is dropped, as a dead channel process sends nothing.
 */
public interface DeferredReply {
  /**
   * Replies {@code ok}.
   *
   * @param response anything Jackson can write
   */
  default void ok(Object response) {
    reply("ok", response);
  }

  /**
   * Replies {@code error}.
   *
   * @param response anything Jackson can write
   */
  default void error(Object response) {
    reply("error", response);
  }

  /**
   * Replies with any status. From the connection's own thread (inside a handler) the reply goes out at once, before
   * whatever the handler sends next; from another thread it is queued on the connection.
   *
   * @param status the status
   * @param response anything Jackson can write; {@code byte[]} for a binary reply
   */
  void reply(String status, Object response);
}
