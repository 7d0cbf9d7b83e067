package io.phoenixchannels.netty;

import io.phoenixchannels.testing.ConnectionErrorsContract;
import io.phoenixchannels.transport.Transport;
import org.junit.jupiter.api.AfterEach;

/** Every connection error of the Netty transport names what happened, never "null". */
class NettyConnectionErrorsTest extends ConnectionErrorsContract {
  private final NettyEventLoops netty = NettyEventLoops.create(1);

  @Override
  protected Transport.Factory factory() {
    return netty.transport();
  }

  @AfterEach
  void stop() {
    netty.close();
  }
}
