package io.phoenixchannels.cli;

import io.phoenixchannels.PhoenixSocket;

/**
 * The transports {@code phx} can choose besides the default WebSocket.
 *
 * <p>{@code --longpoll} selects the long-poll {@code Transport.Factory} through
 * {@link PhoenixSocket.Builder#transport}. The client's long-poll transport is being built (issue 5); until it is
 * merged, this build refuses the option with a usage error instead of silently using a WebSocket. Wiring it is one
 * line here.
 */
final class Transports {
  private Transports() {}

  /**
   * Makes the builder connect over long-poll.
   *
   * @throws CliException a usage error while this build has no long-poll transport
   */
  static void longPoll(PhoenixSocket.Builder builder) {
    throw CliException.usage("--longpoll is not available yet: this build of phx has no long-poll transport "
        + "(it connects over WebSocket only)");
  }
}
