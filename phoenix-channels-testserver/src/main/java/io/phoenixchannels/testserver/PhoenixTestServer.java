package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.phoenixchannels.testserver.internal.ConnectionImpl;
import io.phoenixchannels.testserver.internal.JettyFrontEnd;
import io.phoenixchannels.testserver.internal.Route;
import io.phoenixchannels.testserver.internal.ServerCore;
import io.phoenixchannels.testserver.internal.ServerMessage;
import io.phoenixchannels.testserver.internal.ServerOptions;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A Phoenix Channels server in your JVM, for testing client code: what OkHttp's MockWebServer is for HTTP. It
 * speaks the protocol as Phoenix 1.8 does (or 1.7, see {@link PhoenixVersion}) over WebSocket and long-poll, routes
 * topics to your {@link ChannelHandler}s, keeps Presence, records every frame, and injects faults.
 *
 * <pre>{@code
 * try (PhoenixTestServer server = PhoenixTestServer.builder()
 *     .channel("room:*", () -> new ChannelHandler() {
 *       public JoinResult join(JoinRequest join) { return JoinResult.ok(); }
 *       public HandleResult handleIn(InboundEvent event) { return HandleResult.ok(event.payload()); }
 *     })
 *     .start()) {
 *   // connect your client to server.url(), e.g. ws://127.0.0.1:54321/socket
 *   ClientConnection connection = server.takeConnection(Duration.ofSeconds(5));
 *   RecordedFrame join = connection.takeInbound("phx_join", Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 * All methods may be called from any thread. Jetty's threads run the transports; each connection's protocol and
 * handler callbacks run on its own serial executor over a shared pool of daemon threads; a timer thread runs
 * delays. {@link #close()} stops them all.
 */
public final class PhoenixTestServer implements AutoCloseable {
  private static final Duration STOP_WAIT = Duration.ofSeconds(2);

  private final ServerCore core;
  private final JettyFrontEnd frontEnd;
  private volatile boolean closed;

  private PhoenixTestServer(ServerOptions options) {
    this.core = new ServerCore(options, this);
    this.frontEnd = new JettyFrontEnd(core);
  }

  /**
   * Starts configuring a server.
   *
   * @return a builder with Phoenix's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- lifecycle ----

  /**
   * Starts listening; after {@link #stop()}, starts again on the same port. Does nothing when running.
   *
   * @return this server
   * @throws IllegalStateException if the server was closed
   * @throws UncheckedIOException if the port cannot be bound
   */
  public PhoenixTestServer start() {
    if (closed) {
      throw new IllegalStateException("the test server is closed; build a new one");
    }
    try {
      frontEnd.start();
    } catch (BindException e) {
      throw new UncheckedIOException("cannot listen on " + core.options().host() + ":" + frontEnd.port(), e);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("the test server failed to start: " + e, e);
    }
    return this;
  }

  /**
   * Stops listening, as a server going down: open WebSockets get a 1001 close, long-poll sessions end, channels end
   * (so Presence forgets them). The port stays reserved for {@link #start()}; the recordings stay readable.
   */
  public void stop() {
    List<ConnectionImpl> wereOpen = core.openConnections();
    try {
      frontEnd.stop();
    } catch (Exception e) {
      core.logger().log(Level.WARNING, "stopping Jetty failed", e);
    } finally {
      core.forgetOpenConnections(wereOpen, STOP_WAIT);
    }
  }

  /** Stops and starts again on the same port. */
  public void restart() {
    stop();
    start();
  }

  /**
   * Tells whether the server is listening.
   *
   * @return true between {@link #start()} and {@link #stop()}
   */
  public boolean isRunning() {
    return frontEnd.isRunning();
  }

  /** Stops the server for good and releases its threads. Calling it again does nothing. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    core.shutdown();
  }

  // ---- where ----

  /**
   * Returns the socket endpoint to give a client, such as {@code ws://127.0.0.1:54321/socket} ({@code wss://} when
   * the server was built with {@link Builder#tls}); clients append {@code /websocket} (or {@code /longpoll})
   * themselves.
   *
   * @return the ws:// or wss:// URL
   */
  public String url() {
    return (core.options().tls() == null ? "ws://" : "wss://") + hostForUrl() + ":" + port() + core.options().path();
  }

  /**
   * Returns the socket endpoint with an http:// scheme, such as {@code http://127.0.0.1:54321/socket}
   * ({@code https://} with {@link Builder#tls}), for long-poll clients and plain HTTP checks.
   *
   * @return the http:// or https:// URL
   */
  public String httpUrl() {
    return (core.options().tls() == null ? "http://" : "https://") + hostForUrl() + ":" + port()
        + core.options().path();
  }

  /**
   * Returns the port: the one bound (also while stopped after a start), or the configured one before.
   *
   * @return the port
   */
  public int port() {
    return frontEnd.port();
  }

  /**
   * Returns the Phoenix release this server behaves as.
   *
   * @return the version
   */
  public PhoenixVersion version() {
    return core.options().version();
  }

  // ---- connections, recording ----

  /**
   * Takes the next connection that opened and was not taken yet, waiting for it: the first call returns the first
   * connection, the next call the second, and so on. A connection opens just after the server answered its upgrade,
   * so two clients connecting back to back may open in either order; take (or await) the first before the second
   * connects when the order matters.
   *
   * @param timeout how long to wait
   * @return the connection
   * @throws AssertionError if none opens in time
   */
  public ClientConnection takeConnection(Duration timeout) {
    return core.takeConnection(timeout);
  }

  /**
   * Returns every connection accepted so far, open or closed, in order.
   *
   * @return a snapshot
   */
  public List<ClientConnection> connections() {
    return new ArrayList<>(core.allConnections());
  }

  /**
   * Returns the connections open now.
   *
   * @return a snapshot, in order
   */
  public List<ClientConnection> openConnections() {
    return new ArrayList<ClientConnection>(core.openConnections());
  }

  // ---- server actions ----

  /**
   * Broadcasts to every client that joined a topic: {@code Endpoint.broadcast!}.
   *
   * @param topic the topic
   * @param event the event
   * @param payload anything Jackson can write, or bytes for a binary broadcast
   */
  public void broadcast(String topic, String event, Object payload) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    core.pubsub().broadcast(ServerMessage.broadcast(topic, event, payload, core.options().mapper()), null);
  }

  /**
   * Disconnects every connection whose socket id is this one, as {@code Endpoint.broadcast(id, "disconnect",
   * %{})} does: the WebSocket closes with 1001 (1000 in 1.7 mode) and no frame first. A reply the current handler
   * is about to send still goes out first.
   *
   * @param socketId the socket id the connect handler assigned
   */
  public void disconnect(String socketId) {
    core.disconnect(Objects.requireNonNull(socketId, "socketId"));
  }

  /**
   * Returns the presences of a topic as {@code Presence.list(topic)} gives them.
   *
   * @param topic the topic
   * @return {@code {key: {"metas": [...]}}}
   */
  public JsonNode presenceList(String topic) {
    return core.presence().list(topic);
  }

  /**
   * Returns the fault switches.
   *
   * @return the faults of this server
   */
  public Faults faults() {
    return core.faults();
  }

  /**
   * Returns the Jackson mapper the server writes payloads with.
   *
   * @return the mapper
   */
  public ObjectMapper objectMapper() {
    return core.options().mapper();
  }

  @Override
  public String toString() {
    return "PhoenixTestServer{" + url() + ", " + version() + (isRunning() ? "" : ", stopped") + "}";
  }

  private String hostForUrl() {
    String host = core.options().host();
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /**
   * Configures a {@link PhoenixTestServer}. Not thread-safe; configure on one thread, then build.
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private String path = "/socket";
    private PhoenixVersion version = PhoenixVersion.PHOENIX_1_8;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Integer maxFrameBytes;
    private Duration longPollWindow = Duration.ofSeconds(10);
    private int maxChannelsPerSocket = Integer.MAX_VALUE;
    private boolean recordFrames = true;
    private ObjectMapper mapper = phoenixLikeMapper();
    private System.Logger logger = System.getLogger("io.phoenixchannels.testserver");
    private ConnectHandler connectHandler = ConnectHandler.ACCEPT_ALL;
    private ServerListener listener = new ServerListener() { };
    private final List<Route> routes = new ArrayList<>();
    private SSLContext tls;

    private Builder() {}

    /**
     * Sets the address to listen on; {@code 127.0.0.1} by default.
     *
     * @param host an address or host name
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Sets the port; 0 (the default) picks a free one.
     *
     * @param port the port
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the socket path, under which {@code /websocket} and {@code /longpoll} are served; {@code /socket} by
     * default.
     *
     * @param path a path starting with {@code /}, without a trailing {@code /}
     * @return this builder
     */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/") || (path.length() > 1 && path.endsWith("/"))) {
        throw new IllegalArgumentException("the socket path must start with / and not end with /, got '" + path
            + "'");
      }
      this.path = path.equals("/") ? "" : path;
      return this;
    }

    /**
     * Chooses the Phoenix release to behave as; {@link PhoenixVersion#PHOENIX_1_8} by default.
     *
     * @param version the version
     * @return this builder
     */
    public Builder version(PhoenixVersion version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * Sets how long a WebSocket may stay silent before the server drops it; 60 seconds by default, as Phoenix.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /**
     * Sets the largest WebSocket frame accepted; a larger one closes the connection with 1009. By default the
     * version's (10,000,000 bytes for 1.8, 8,000,000 for 1.7).
     *
     * @param bytes a positive size
     * @return this builder
     */
    public Builder maxFrameBytes(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxFrameBytes must be positive, got " + bytes);
      }
      this.maxFrameBytes = bytes;
      return this;
    }

    /**
     * Sets how long an idle long-poll request is held before it is answered with 204, which is also how long a
     * session lives without a poll; 10 seconds by default, as Phoenix.
     *
     * @param window a positive duration
     * @return this builder
     */
    public Builder longPollWindow(Duration window) {
      this.longPollWindow = positive("longPollWindow", window);
      return this;
    }

    /**
     * Sets how many channels one connection may have joined at once; a join beyond it gets the error reply
     * {@code {"reason":"max channels per socket"}}. Unlimited by default.
     *
     * @param max a positive count
     * @return this builder
     */
    public Builder maxChannelsPerSocket(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxChannelsPerSocket must be positive, got " + max);
      }
      this.maxChannelsPerSocket = max;
      return this;
    }

    /**
     * Turns the recording of frames on (the default) or off. A server that runs for long, such as a demo or a load
     * target, keeps no frames with it off; {@link ClientConnection#takeInbound} and the like then throw {@link
     * IllegalStateException}.
     *
     * @param record false to keep no frames
     * @return this builder
     */
    public Builder recordFrames(boolean record) {
      this.recordFrames = record;
      return this;
    }

    /**
     * Serves TLS only ({@code wss://} and {@code https://}), with a server-side context whose key managers present
     * the server's certificate, for example a self-signed one a test generated, to test a client's certificate and
     * hostname checks. Plain ws:// by default.
     *
     * @param context the server's TLS context
     * @return this builder
     */
    public Builder tls(SSLContext context) {
      this.tls = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * Sets the connect handler; by default every connection is accepted as an anonymous socket.
     *
     * @param handler the handler
     * @return this builder
     */
    public Builder connectHandler(ConnectHandler handler) {
      this.connectHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Sets a listener that hears connections open, get refused and close, and channels join, get refused and end,
     * for example to log them; by default nobody listens.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(ServerListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Routes a topic pattern to a channel handler, as Phoenix's {@code channel "room:*", RoomChannel}: a trailing
     * {@code *} matches any rest, anything else the exact topic; the first matching route wins. Topics without a
     * route get {@code unmatched topic}.
     *
     * @param pattern the pattern, such as {@code "room:*"}
     * @param factory creates a handler for each join
     * @return this builder
     * @throws IllegalArgumentException if {@code *} is not the pattern's last character
     */
    public Builder channel(String pattern, Supplier<? extends ChannelHandler> factory) {
      routes.add(new Route(pattern, factory));
      return this;
    }

    /**
     * Sets the Jackson mapper for payloads; by default one that writes object keys sorted, as Phoenix does.
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Sets the logger; {@code System.getLogger("io.phoenixchannels.testserver")} by default. Bad frames, crashes
     * and refusals are logged at WARNING or ERROR, traffic at DEBUG.
     *
     * @param logger the logger
     * @return this builder
     */
    public Builder logger(System.Logger logger) {
      this.logger = Objects.requireNonNull(logger, "logger");
      return this;
    }

    /**
     * Builds the server without starting it.
     *
     * @return the server
     */
    public PhoenixTestServer build() {
      int frameLimit = maxFrameBytes != null ? maxFrameBytes : version.defaultMaxFrameBytes();
      return new PhoenixTestServer(new ServerOptions(host, port, path, version, idleTimeout, frameLimit,
          longPollWindow, maxChannelsPerSocket, recordFrames, mapper, logger, connectHandler, routes, listener,
          tls));
    }

    /**
     * Builds the server and starts it.
     *
     * @return the running server
     */
    public PhoenixTestServer start() {
      return build().start();
    }

    /** Writes object keys sorted, as Phoenix (Jason) writes its small maps, so frames read the same. */
    private static ObjectMapper phoenixLikeMapper() {
      return JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
          .build();
    }

    private static Duration positive(String name, Duration value) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
      }
      return value;
    }
  }
}
