package io.phoenixchannels.examples;

import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.transport.BuiltInTransport;
import io.phoenixchannels.transport.LongPollTransport;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/**
 * The README's ways to choose a transport, verbatim between the markers: long-poll only, a WebSocket with a
 * long-poll fallback, and long-poll over your own HTTP client.
 */
public final class Transports {
  private Transports() {}

  /**
   * Builds one socket of each kind, not connected.
   *
   * @param url the socket endpoint
   * @param http the application's HTTP client
   * @return the long-poll socket, the falling-back socket and the socket over the given client
   */
  public static List<PhoenixSocket> sockets(String url, HttpClient http) {
    // README:transports:begin
    // Long-poll only, over the HTTP client that sockets share:
    PhoenixSocket polling = PhoenixSocket.builder(url)
        .transport(BuiltInTransport.LONG_POLL)
        .build();

    // A WebSocket that falls back to long-poll when it cannot be established within 2.5 s;
    // the endpoint is remembered, so later sockets to it go straight to long-poll:
    PhoenixSocket fallingBack = PhoenixSocket.builder(url)
        .longPollFallback(Duration.ofMillis(2500))
        .build();

    // Long-poll over your own HttpClient (its proxy, SSLContext, cookie handler...):
    PhoenixSocket ownClient = PhoenixSocket.builder(url)
        .transport(LongPollTransport.factory(http))
        .build();
    // README:transports:end
    return List.of(polling, fallingBack, ownClient);
  }
}
