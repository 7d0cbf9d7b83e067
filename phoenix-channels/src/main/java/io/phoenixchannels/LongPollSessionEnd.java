package io.phoenixchannels;

import io.phoenixchannels.internal.protocol.OutboundMessage;
import io.phoenixchannels.internal.protocol.OutboundPayload;
import java.util.List;

/**
 * What a socket does at the end of a session over a transport without a connection the server can watch
 * (long-poll, a series of HTTP requests): the server notices a client that stopped polling only when its session
 * window has passed without a poll, and ends a session of its own accord without telling the client until the next
 * request.
 *
 * <ul>
 *   <li>An intentional disconnect or close first leaves every joined channel, in the same burst (over long-poll:
 *       one POST, which the socket's close timeout bounds), so that the server ends the channels at once and other
 *       clients see the Presence leave now, not a window or two later. The channels themselves are not closed: a
 *       disconnected socket's channels rejoin on the next connect.</li>
 *   <li>Pushes the transport reports as provably undelivered (a POST the server refused because the session was
 *       gone) go back in front of their channel's push buffer, so they are sent again, before later pushes, once the
 *       channel has rejoined over the new session.</li>
 * </ul>
 *
 * <p>Called on the socket's event loop only.
 */
final class LongPollSessionEnd {
  private LongPollSessionEnd() {}

  /**
   * Sends {@code phx_leave} for every channel that is joined or joining, without changing the channels' states.
   *
   * @param socket the socket, still open
   * @param channels its channels
   */
  static void leaveBeforeClose(PhoenixSocket socket, List<PhoenixChannel> channels) {
    for (PhoenixChannel channel : channels) {
      String joinRef = channel.joinRef();
      if (channel.isJoiningOrJoined() && joinRef != null) {
        socket.send(new OutboundMessage(joinRef, socket.makeRef(), channel.topic(), PhoenixChannel.LEAVE,
            OutboundPayload.emptyObject()), null);
      }
    }
  }

  /**
   * Requeues the pushes of these refs, which the server never received, to be sent again after the rejoin.
   *
   * @param channels the socket's channels
   * @param refs the refs of the undelivered messages, in the order they were sent
   */
  static void requeue(List<PhoenixChannel> channels, List<String> refs) {
    for (PhoenixChannel channel : channels) {
      channel.requeueUndelivered(refs);
    }
  }
}
