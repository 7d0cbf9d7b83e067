package io.phoenixchannels.testserver;

/**
 * The server side of one channel: Phoenix's {@code Phoenix.Channel} callbacks. A route creates a new handler for
 * every join, so fields hold the per-channel state that Phoenix keeps in {@code socket.assigns}.
 *
 * <h2>Threads</h2>
 * All callbacks of one client connection run one at a time, in order, on that connection's serial executor (a
 * pooled server thread), as Phoenix serializes a socket's messages; different connections run concurrently. A
 * callback that blocks delays only its own connection; to answer later, use {@link InboundEvent#deferReply()} and
 * {@link ServerChannel#schedule}. A callback that throws is contained as Phoenix contains a crash: a throwing
 * {@link #join} answers {@code {"reason":"join crashed"}}, a throwing {@link #handleIn} or {@link #afterJoin}
 * crashes the channel ({@code phx_error}); the server keeps serving.
 */
public interface ChannelHandler {

  /**
   * A handler that accepts every join (replying {@code {}}) and answers events with a function: the quickest way to
   * script a channel in a test, for example {@code () -> ChannelHandler.joinAll(event -> HandleResult.ok())}.
   *
   * @param events answers each pushed event
   * @return the handler
   */
  static ChannelHandler joinAll(EventHandler events) {
    java.util.Objects.requireNonNull(events, "events");
    return new ChannelHandler() {
      @Override
      public JoinResult join(JoinRequest request) {
        return JoinResult.ok();
      }

      @Override
      public HandleResult handleIn(InboundEvent event) throws Exception {
        return events.handle(event);
      }
    };
  }

  /**
   * Decides about a join: {@code join/3}.
   *
   * @param request the topic, params and connection
   * @return {@link JoinResult#ok(Object)} or {@link JoinResult#error(Object)}
   * @throws Exception to refuse with {@code {"reason":"join crashed"}}
   */
  JoinResult join(JoinRequest request) throws Exception;

  /**
   * Runs right after a successful join's reply was sent, as Phoenix apps do with {@code send(self(), :after_join)}:
   * the place to track Presence and push {@code presence_state}. Does nothing by default.
   *
   * @param channel the joined channel
   * @throws Exception to crash the channel
   */
  default void afterJoin(ServerChannel channel) throws Exception {
  }

  /**
   * Handles an event the client pushed: {@code handle_in/3}. By default it throws, as a Phoenix channel without a
   * matching clause crashes.
   *
   * @param event the event, its payload and the channel
   * @return what to answer: a reply, no reply, or stop
   * @throws Exception to crash the channel: {@code phx_error}, and pushes in flight are never answered
   */
  default HandleResult handleIn(InboundEvent event) throws Exception {
    throw new UnsupportedOperationException("no handleIn for event '" + event.event() + "' on '"
        + event.channel().topic() + "'");
  }

  /**
   * Runs once when the channel ends: left, stopped, crashed, replaced by a duplicate join, or its connection closed.
   * Its Presence entries are already gone. Does nothing by default; an exception is logged and ignored.
   *
   * @param channel the channel, no longer joined
   * @param reason {@code "left"}, {@code "stopped"}, {@code "crashed"}, {@code "duplicate join"} or
   *     {@code "connection closed"}
   */
  default void terminate(ServerChannel channel, String reason) {
  }
}
