/**
 * The Netty transport: {@link io.phoenixchannels.netty.NettyEventLoops} owns a few Netty event loops that any
 * number of sockets share, and hands out both the sockets' event loops and the transport that connects them.
 */
package io.phoenixchannels.netty;
