package io.phoenixchannels;

/**
 * The closing of a channel, as its {@link PhoenixChannel#onClose close listeners} see it. A closed channel is
 * removed from its socket and never rejoins; create a new one to join the topic again.
 *
 * @param requested true when the user left the channel or closed the socket; false when the server closed it
 *     ({@code phx_close}: the channel stopped, the socket joined the topic again elsewhere) or the
 *     {@link RejoinPolicy} gave up
 * @param reason what happened, for example {@code "left"}, {@code "closed by the server"}
 */
public record ChannelClose(boolean requested, String reason) {}
