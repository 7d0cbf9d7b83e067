package io.phoenixchannels.testserver;

/**
 * Answers the events pushed to a channel: {@link ChannelHandler#handleIn} as a lambda, for {@link
 * ChannelHandler#joinAll(EventHandler)}. Called on the connection's serial executor.
 */
@FunctionalInterface
public interface EventHandler {
  /**
   * Handles one event.
   *
   * @param event the event, its payload and its channel
   * @return a reply, no reply, or stop
   * @throws Exception to crash the channel ({@code phx_error})
   */
  HandleResult handle(InboundEvent event) throws Exception;
}
