package io.phoenixchannels.transport;

import io.phoenixchannels.EventLoop;
import io.phoenixchannels.internal.EndpointUrl;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a transport needs to connect, computed afresh by the socket for each attempt (params and token
 * suppliers are re-read every time). Immutable; built with {@link #builder(URI)}, so that a field added later breaks
 * no transport.
 *
 * <p>{@link #toString()} hides the query and the token, so a request can be logged safely.
 */
public final class TransportRequest {

  /** The long-poll request timeout phoenix.js uses: twice Phoenix's default long-poll window. */
  public static final Duration DEFAULT_LONG_POLL_TIMEOUT = Duration.ofSeconds(20);

  private final URI endpoint;
  private final String query;
  private final String authToken;
  private final Map<String, String> headers;
  private final int maxInboundFrameBytes;
  private final Duration connectTimeout;
  private final EventLoop eventLoop;
  private final Duration longPollTimeout;

  private TransportRequest(Builder builder) {
    endpoint = builder.endpoint;
    query = builder.query;
    authToken = builder.authToken;
    headers = Map.copyOf(builder.headers);
    maxInboundFrameBytes = builder.maxInboundFrameBytes;
    connectTimeout = builder.connectTimeout;
    eventLoop = builder.eventLoop;
    longPollTimeout = builder.longPollTimeout;
  }

  /**
   * Starts a request to an endpoint; every other field has a default.
   *
   * @param endpoint the socket endpoint the user gave, such as {@code ws://localhost:4000/socket}
   * @return a builder
   */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  /** @return the socket endpoint the user gave, such as {@code ws://localhost:4000/socket} */
  public URI endpoint() {
    return endpoint;
  }

  /** @return the encoded params followed by {@code vsn}, such as {@code user_id=1&vsn=2.0.0} */
  public String query() {
    return query;
  }

  /**
   * @return the auth token, or {@code null}: WebSocket transports send it in {@code Sec-WebSocket-Protocol},
   *     long-poll in {@code X-Phoenix-AuthToken}
   */
  public String authToken() {
    return authToken;
  }

  /** @return extra HTTP headers for the upgrade or the requests */
  public Map<String, String> headers() {
    return headers;
  }

  /** @return the largest frame the transport may deliver; a larger one fails the connection with close code 1009 */
  public int maxInboundFrameBytes() {
    return maxInboundFrameBytes;
  }

  /** @return how long establishing the connection may take */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * @return the socket's event loop, or {@code null}: a transport may run its own state on it (its tasks run one at
   *     a time, after the socket's current task), as {@link LongPollTransport} does to gather the sends of one burst
   *     into one request; transports that do not need it ignore it
   */
  public EventLoop eventLoop() {
    return eventLoop;
  }

  /**
   * @return how long a long-poll request may take before it counts as failed (a poll is held by the server for up
   *     to its window, 10 s by default); transports other than long-poll ignore it
   */
  public Duration longPollTimeout() {
    return longPollTimeout;
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

  /** Builds a {@link TransportRequest}. Not thread-safe; the request it builds is. */
  public static final class Builder {
    private final URI endpoint;
    private String query = "";
    private String authToken;
    private Map<String, String> headers = Map.of();
    private int maxInboundFrameBytes = 8 * 1024 * 1024;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private EventLoop eventLoop;
    private Duration longPollTimeout = DEFAULT_LONG_POLL_TIMEOUT;

    private Builder(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /**
     * Sets the encoded query; empty by default.
     *
     * @param query the encoded params and vsn
     * @return this builder
     */
    public Builder query(String query) {
      this.query = Objects.requireNonNull(query, "query");
      return this;
    }

    /**
     * Sets the auth token; none by default.
     *
     * @param authToken the token, or {@code null} for none
     * @return this builder
     */
    public Builder authToken(String authToken) {
      this.authToken = authToken;
      return this;
    }

    /**
     * Sets extra HTTP headers; none by default.
     *
     * @param headers the headers, copied
     * @return this builder
     */
    public Builder headers(Map<String, String> headers) {
      this.headers = Map.copyOf(headers);
      return this;
    }

    /**
     * Sets the largest frame to accept; 8 MiB by default, as the socket's.
     *
     * @param bytes the limit
     * @return this builder
     */
    public Builder maxInboundFrameBytes(int bytes) {
      this.maxInboundFrameBytes = bytes;
      return this;
    }

    /**
     * Sets how long connecting may take; 10 s by default.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets the socket's event loop; none by default.
     *
     * @param loop the loop, or {@code null}
     * @return this builder
     */
    public Builder eventLoop(EventLoop loop) {
      this.eventLoop = loop;
      return this;
    }

    /**
     * Sets the long-poll request timeout; {@link #DEFAULT_LONG_POLL_TIMEOUT} by default.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder longPollTimeout(Duration timeout) {
      this.longPollTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     */
    public TransportRequest build() {
      return new TransportRequest(this);
    }
  }
}
