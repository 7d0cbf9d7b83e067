package io.phoenixchannels.testing;

import io.phoenixchannels.transport.Transport;
import org.junit.jupiter.api.Test;

/**
 * The connection errors every transport must name (refused, unknown host, timed out, TLS, an HTTP status), never
 * "null": a transport's test extends this with its factory, its schemes and its words for a timeout and a status.
 */
public abstract class ConnectionErrorsContract {
  /** The transport under test. */
  protected abstract Transport.Factory factory();

  /** The plain scheme: {@code ws} for a WebSocket, {@code http} for long-poll. */
  protected String scheme() {
    return "ws";
  }

  /** The secure scheme: {@code wss} or {@code https}. */
  protected String secureScheme() {
    return "wss";
  }

  /** What the error of a server that never answers says. */
  protected String timeoutWords() {
    return "timed out after";
  }

  /** What the error of a refused upgrade with HTTP 403 says. */
  protected String refusedWith403Words() {
    return "refused with HTTP 403";
  }

  @Test
  void aRefusedConnectionSaysRefused() throws Exception {
    ConnectionFailures.refused(factory(), scheme());
  }

  @Test
  void anUnknownHostIsNamed() throws Exception {
    ConnectionFailures.unknownHost(factory(), scheme());
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    ConnectionFailures.timedOut(factory(), scheme(), timeoutWords());
  }

  @Test
  void aFailedTlsHandshakeSaysTls() throws Exception {
    ConnectionFailures.tls(factory(), secureScheme());
  }

  @Test
  void aRefusedUpgradeCarriesItsStatus() throws Exception {
    ConnectionFailures.httpStatus(factory(), scheme(), refusedWith403Words());
  }
}
