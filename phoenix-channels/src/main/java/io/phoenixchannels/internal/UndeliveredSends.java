package io.phoenixchannels.internal;

import java.util.List;

/**
 * Implemented by a transport listener that wants to hear which of the messages it sent a transport provably never
 * delivered, so that it can send them again over the next connection. The built-in long-poll transport reports
 * them: the frames of a send the server refused because the session was gone (it took none of them), and the frames
 * still queued behind it, which never left. A transport calls it at most once, on the socket's event loop, before
 * the {@code onError} and {@code onClose} of the failure.
 */
public interface UndeliveredSends {
  /**
   * Some messages were not delivered.
   *
   * @param refs the refs of those messages, in the order they were sent; messages without a ref are left out
   */
  void undelivered(List<String> refs);
}
