package io.phoenixchannels.transport;

import io.phoenixchannels.EventLoop;
import io.phoenixchannels.internal.EndpointUrl;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a transport needs to connect, computed afresh by the socket for each attempt (params and token
 * suppliers are re-read every time).
 *
 * <p>{@link #toString()} hides the query and the token, so a request can be logged safely.
 *
 * @param endpoint the socket endpoint the user gave, such as {@code ws://localhost:4000/socket}
 * @param query the encoded params followed by {@code vsn}, such as {@code user_id=1&vsn=2.0.0}
 * @param authToken the auth token, or {@code null}: WebSocket transports send it in {@code Sec-WebSocket-Protocol},
 *     long-poll in {@code X-Phoenix-AuthToken}
 * @param headers extra HTTP headers for the upgrade or the requests
 * @param maxInboundFrameBytes the largest frame the transport may deliver; a larger one fails the connection
 *     with close code 1009
 * @param connectTimeout how long establishing the connection may take
 * @param eventLoop the socket's event loop, or {@code null}: a transport may run its own state on it (its tasks
 *     run one at a time, after the socket's current task), as {@link LongPollTransport} does to gather the sends
 *     of one burst into one request; transports that do not need it ignore it
 * @param longPollTimeout how long a long-poll request may take before it counts as failed (a poll is held by the
 *     server for up to its window, 10 s by default); transports other than long-poll ignore it
 */
public record TransportRequest(URI endpoint, String query, String authToken, Map<String, String> headers,
    int maxInboundFrameBytes, Duration connectTimeout, EventLoop eventLoop, Duration longPollTimeout) {

  /** The long-poll request timeout phoenix.js uses: twice Phoenix's default long-poll window. */
  public static final Duration DEFAULT_LONG_POLL_TIMEOUT = Duration.ofSeconds(20);

  /**
   * Checks and copies the fields.
   *
   * @param endpoint the socket endpoint
   * @param query the encoded params and vsn
   * @param authToken the auth token, or {@code null}
   * @param headers extra HTTP headers
   * @param maxInboundFrameBytes the largest frame to accept
   * @param connectTimeout how long connecting may take
   * @param eventLoop the socket's event loop, or {@code null}
   * @param longPollTimeout how long a long-poll request may take
   */
  public TransportRequest {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(query, "query");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(longPollTimeout, "longPollTimeout");
  }

  /**
   * A request without an event loop and with the default long-poll timeout, for WebSocket transports and tests.
   *
   * @param endpoint the socket endpoint
   * @param query the encoded params and vsn
   * @param authToken the auth token, or {@code null}
   * @param headers extra HTTP headers
   * @param maxInboundFrameBytes the largest frame to accept
   * @param connectTimeout how long connecting may take
   */
  public TransportRequest(URI endpoint, String query, String authToken, Map<String, String> headers,
      int maxInboundFrameBytes, Duration connectTimeout) {
    this(endpoint, query, authToken, headers, maxInboundFrameBytes, connectTimeout, null,
        DEFAULT_LONG_POLL_TIMEOUT);
  }

  /**
   * Builds the URL of a transport: endpoint, then {@code /transportPath}, then the query.
   *
   * @param transportPath {@code "websocket"} or {@code "longpoll"}
   * @param webSocketScheme true for {@code ws}/{@code wss}, false for {@code http}/{@code https}; the scheme keeps
   *     the endpoint's security either way
   * @return the URL to connect to
   */
  public URI uri(String transportPath, boolean webSocketScheme) {
    return EndpointUrl.forTransport(endpoint, transportPath, query, webSocketScheme);
  }

  @Override
  public String toString() {
    String where = endpoint.getScheme() + "://" + endpoint.getHost()
        + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort()) + endpoint.getRawPath();
    return "TransportRequest{" + where + ", query=<hidden>, authToken=" + (authToken == null ? "none" : "<hidden>")
        + ", headers=" + headers.keySet() + ", maxInboundFrameBytes=" + maxInboundFrameBytes + ", connectTimeout="
        + connectTimeout + ", longPollTimeout=" + longPollTimeout + "}";
  }
}
