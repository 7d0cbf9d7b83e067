package io.phoenixchannels.internal.transport;

import io.phoenixchannels.ConnectionException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * The words every transport uses for a connection that failed, so that an error listener, a {@code CloseEvent}'s
 * cause and a retry line name what happened (refused, unknown host, timed out, TLS, an HTTP status) whatever the
 * library, and never print a bare {@code null} (the JDK's {@code ConnectException} has no message).
 *
 * <p>It looks at exception types only through {@code java.net} and {@code javax.net.ssl}, so it works on Android,
 * and recognises timeouts by their class name, since each library has its own type. Pure functions, any thread.
 */
public final class ConnectionErrors {
  /** How many causes deep to look: libraries wrap the cause once or twice. */
  private static final int MAX_DEPTH = 10;

  private ConnectionErrors() {}

  /**
   * Names a URL without its query, which may carry secrets.
   *
   * @param uri the URL
   * @return scheme, authority and path
   */
  public static String where(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
  }

  /**
   * The connection could not be made (before any upgrade answer).
   *
   * @param uri where the transport connected
   * @param error what the library reported
   * @param connectTimeout the socket's connect timeout, quoted when the failure was a timeout
   * @param tlsHint how to fix trust with this transport, appended to a TLS failure
   * @return an exception whose message names what happened
   */
  public static ConnectionException connectFailed(URI uri, Throwable error, Duration connectTimeout,
      String tlsHint) {
    return new ConnectionException("cannot connect to " + where(uri) + ": " + what(uri, error, connectTimeout,
        tlsHint), -1, error);
  }

  /**
   * The server answered the upgrade with another status than 101.
   *
   * @param uri the upgrade's URL
   * @param status the HTTP status
   * @param cause what the library reported, or {@code null}
   * @return an exception carrying the status
   */
  public static ConnectionException upgradeRefused(URI uri, int status, Throwable cause) {
    return new ConnectionException("WebSocket upgrade to " + where(uri) + " refused with HTTP " + status
        + (status == 403 ? " (the socket's connect/3 refused the params or token, or the vsn is unsupported)" : ""),
        status, cause);
  }

  /**
   * The upgrade succeeded but the server did not select {@code phoenix} after a token was sent.
   *
   * @return the exception
   */
  public static ConnectionException tokenNotAccepted() {
    return new ConnectionException("the server did not select the 'phoenix' subprotocol, so it did not read the "
        + "auth token (Phoenix before 1.8 ignores tokens); refusing to carry on unauthenticated", -1, null);
  }

  /**
   * An open connection broke.
   *
   * @param error what the library reported
   * @return the exception
   */
  public static ConnectionException broken(Throwable error) {
    return new ConnectionException("WebSocket failed: " + describe(error), -1, error);
  }

  /**
   * Says what a failed connection attempt ran into, in a few words.
   *
   * @param uri where the transport connected
   * @param error what the library reported
   * @param connectTimeout the connect timeout, quoted for a timeout
   * @param tlsHint appended to a TLS failure, or {@code null}
   * @return for example {@code connection refused} or {@code unknown host example.invalid}
   */
  public static String what(URI uri, Throwable error, Duration connectTimeout, String tlsHint) {
    // Most specific first: the JDK wraps an unknown host in a ConnectException, Netty's timeout is one.
    if (find(error, UnknownHostException.class) != null || find(error, UnresolvedAddressException.class) != null) {
      return "unknown host " + uri.getHost();
    }
    int depth = 0;
    for (Throwable c = error; c != null && depth < MAX_DEPTH; c = c.getCause(), depth++) {
      if (c.getClass().getSimpleName().contains("Timeout") || isTimeoutMessage(c)) {
        return "timed out after " + connectTimeout.toMillis() + " ms";
      }
    }
    Throwable tls = find(error, SSLException.class);
    if (tls != null) {
      return "TLS handshake failed: " + describe(tls) + (tlsHint == null ? "" : " (" + tlsHint + ")");
    }
    if (find(error, NoRouteToHostException.class) != null) {
      return "no route to host " + uri.getHost();
    }
    Throwable connect = find(error, ConnectException.class);
    if (connect != null) {
      // OkHttp wraps the JDK's "Connection refused" in a ConnectException of its own.
      for (Throwable c = connect; c instanceof ConnectException; c = c.getCause()) {
        if (c.getMessage() == null || c.getMessage().toLowerCase(Locale.ROOT).contains("refused")) {
          return "connection refused (is a server listening on " + uri.getRawAuthority() + "?)";
        }
      }
      return connect.getMessage();
    }
    return describe(error);
  }

  /**
   * An exception, with the reason its causes give when it has none of its own: the JDK reports a server frame that
   * breaks the WebSocket protocol as a {@code java.net.ProtocolException} without a message, whose cause says what
   * was wrong ("Invalid UTF-8 in frame TEXT").
   *
   * @param error the exception
   * @return its type and the first message found, never {@code null}
   */
  public static String describe(Throwable error) {
    String text = error.toString();
    if (error.getMessage() != null && !error.getMessage().isEmpty()) {
      return text;
    }
    Throwable cause = error.getCause();
    for (int depth = 0; depth < MAX_DEPTH && cause != null; depth++, cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isEmpty()) {
        return text + ": " + cause.getMessage();
      }
    }
    return text;
  }

  private static boolean isTimeoutMessage(Throwable error) {
    // OkHttp's call timeout is an InterruptedIOException("timeout").
    return error instanceof java.io.InterruptedIOException && "timeout".equals(error.getMessage());
  }

  private static Throwable find(Throwable error, Class<? extends Throwable> type) {
    int depth = 0;
    for (Throwable c = error; c != null && depth < MAX_DEPTH; c = c.getCause(), depth++) {
      if (type.isInstance(c)) {
        return c;
      }
    }
    return null;
  }
}
