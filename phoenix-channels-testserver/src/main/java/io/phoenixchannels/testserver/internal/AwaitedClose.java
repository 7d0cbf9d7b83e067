package io.phoenixchannels.testserver.internal;

import org.eclipse.jetty.websocket.core.CloseStatus;

/**
 * A close status Jetty sends and then waits for the client's answer to, whatever its code. Jetty ends the connection
 * right after sending any code it deems abnormal (all but 1000, 1005 and 3000+, so 1001, 1011 and 1012 among them);
 * a client still writing then may lose the close frame to a reset and report 1006 instead of the server's code. A
 * Phoenix server's clients read the code: so do ours, after a close handshake as RFC 6455 describes it.
 */
final class AwaitedClose extends CloseStatus {
  AwaitedClose(int code, String reason) {
    super(code, reason);
  }

  @Override
  public boolean isAbnormal() {
    return false;
  }
}
