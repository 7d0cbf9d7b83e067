/**
 * Phoenix Channels for Java: a client for Phoenix (Elixir) channels.
 *
 * <p>Start with {@link io.phoenixchannels.PhoenixSocket#builder(String)}. The transport SPI and the built-in
 * transports are in {@link io.phoenixchannels.transport}.
 */
module io.phoenixchannels {
  requires transitive com.fasterxml.jackson.databind;
  requires transitive java.net.http;
  requires transitive java.logging;

  exports io.phoenixchannels;
  exports io.phoenixchannels.transport;
  exports io.phoenixchannels.internal.protocol to io.phoenixchannels.testserver;
  exports io.phoenixchannels.internal.transport to io.phoenixchannels.okhttp, io.phoenixchannels.netty;
}
