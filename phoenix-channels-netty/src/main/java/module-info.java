/**
 * A Netty 4.2 WebSocket transport for Phoenix Channels for Java, for many sockets and little CPU per message.
 * Start with {@link io.phoenixchannels.netty.NettyEventLoops#create(int)}.
 */
module io.phoenixchannels.netty {
  requires transitive io.phoenixchannels;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.resolver;
  requires transitive io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;

  exports io.phoenixchannels.netty;
}
