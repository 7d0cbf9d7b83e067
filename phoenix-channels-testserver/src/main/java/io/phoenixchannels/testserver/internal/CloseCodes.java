package io.phoenixchannels.testserver.internal;

/** The WebSocket close codes (RFC 6455 section 7.4) a server may put in a close frame. */
final class CloseCodes {
  private CloseCodes() {}

  static boolean serverMaySend(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  }
}
