package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client presented when it connected, as Phoenix hands it to {@code connect/3}: the URL params, the HTTP
 * headers of the upgrade (or of the long-poll request that opened the session), and the auth token. Immutable.
 */
public final class ConnectRequest {
  private final TransportKind transport;
  private final String vsn;
  private final JsonNode params;
  private final Map<String, List<String>> headers;
  private final String authToken;
  private final String remoteAddress;

  /**
   * Creates a request; the server does this for every connection attempt.
   *
   * @param transport the transport the client used
   * @param vsn the serializer version the client asked for ({@code "1.0.0"} when it asked for none)
   * @param params the URL query params as a JSON object; nested params ({@code a[b]=c}) become nested objects
   * @param headers the HTTP headers, by lower-case name
   * @param authToken the decoded auth token, or {@code null}
   * @param remoteAddress the client's address, such as {@code 127.0.0.1:53122}
   */
  public ConnectRequest(TransportKind transport, String vsn, JsonNode params, Map<String, List<String>> headers,
      String authToken, String remoteAddress) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.vsn = Objects.requireNonNull(vsn, "vsn");
    this.params = Objects.requireNonNull(params, "params").deepCopy();
    this.headers = Map.copyOf(headers);
    this.authToken = authToken;
    this.remoteAddress = remoteAddress;
  }

  /**
   * Returns the transport the client connected with.
   *
   * @return WebSocket or long-poll
   */
  public TransportKind transport() {
    return transport;
  }

  /**
   * Returns the serializer version the client asked for.
   *
   * @return {@code "2.0.0"} or {@code "1.0.0"}
   */
  public String vsn() {
    return vsn;
  }

  /**
   * Returns all URL params (including {@code vsn}) as a JSON object of strings, nested for {@code a[b]=c}.
   *
   * @return a copy the caller may keep
   */
  public JsonNode params() {
    return params.deepCopy();
  }

  /**
   * Returns one URL param.
   *
   * @param name the param name
   * @return its value when it is a plain string, or {@code null}
   */
  public String param(String name) {
    JsonNode value = params.get(name);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /**
   * Returns the HTTP headers.
   *
   * @return the headers by lower-case name, each with its values in order
   */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * Returns the first value of an HTTP header.
   *
   * @param name the header name, in any case
   * @return the value, or {@code null} when absent
   */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /**
   * Returns the auth token, decoded: Phoenix 1.8 reads it from the {@code base64url.bearer.phx.} subprotocol of a
   * WebSocket, or from the {@code X-Phoenix-AuthToken} header of the request that opens a long-poll session. Always
   * empty in {@link PhoenixVersion#PHOENIX_1_7} mode, as that release ignores tokens.
   *
   * @return the token, or empty
   */
  public Optional<String> authToken() {
    return Optional.ofNullable(authToken);
  }

  /**
   * Returns the client's address.
   *
   * @return host and port, such as {@code 127.0.0.1:53122}, or {@code null} when unknown
   */
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public String toString() {
    // Params and tokens may hold secrets: show only their names.
    return "ConnectRequest{" + transport + ", vsn=" + vsn + ", params=" + fieldNames() + ", authToken="
        + (authToken == null ? "none" : "<hidden>") + ", from " + remoteAddress + "}";
  }

  private List<String> fieldNames() {
    java.util.ArrayList<String> names = new java.util.ArrayList<>();
    params.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
