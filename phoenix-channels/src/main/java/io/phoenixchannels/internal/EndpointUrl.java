package io.phoenixchannels.internal;

import java.lang.reflect.Array;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Socket URLs as Phoenix endpoints expect them: the endpoint, then the transport's path ({@code /websocket} or
 * {@code /longpoll}), then the params (nested maps flattened as {@code a[b]=c}, encoded like JavaScript's
 * {@code encodeURIComponent}), then {@code vsn}.
 */
public final class EndpointUrl {
  private EndpointUrl() {}

  /**
   * Parses and checks a socket endpoint such as {@code ws://localhost:4000/socket}.
   *
   * @throws IllegalArgumentException for a malformed URL, an unsupported scheme or a missing host
   */
  public static URI parse(String url) {
    if (url == null || url.trim().isEmpty()) {
      throw new IllegalArgumentException("the socket URL is empty; expected something like ws://localhost:4000/socket");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed socket URL '" + url + "': " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss") && !scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("unsupported scheme in socket URL '" + url
          + "': use ws://, wss://, http:// or https://, for example ws://localhost:4000/socket");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("socket URL '" + url + "' has no host; expected something like "
          + "ws://localhost:4000/socket");
    }
    if (uri.getFragment() != null) {
      throw new IllegalArgumentException("socket URL '" + url + "' has a fragment (#...), which a socket cannot use");
    }
    return uri;
  }

  /**
   * Builds the URL of one transport.
   *
   * @param endpoint the parsed endpoint
   * @param transportPath {@code "websocket"} or {@code "longpoll"}
   * @param query the encoded params and vsn, see {@link #query}
   * @param webSocketScheme true for {@code ws}/{@code wss}, false for {@code http}/{@code https}
   */
  public static URI forTransport(URI endpoint, String transportPath, String query, boolean webSocketScheme) {
    String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
    boolean secure = scheme.equals("wss") || scheme.equals("https");
    String newScheme = webSocketScheme ? (secure ? "wss" : "ws") : (secure ? "https" : "http");
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    StringBuilder url = new StringBuilder(newScheme).append("://").append(endpoint.getRawAuthority())
        .append(path).append('/').append(transportPath);
    String existing = endpoint.getRawQuery();
    String joined = existing == null || existing.isEmpty() ? query
        : query.isEmpty() ? existing : existing + "&" + query;
    if (!joined.isEmpty()) {
      url.append('?').append(joined);
    }
    return URI.create(url.toString());
  }

  /** Encodes params then {@code vsn}, as {@code a=1&b%5Bc%5D=2&vsn=2.0.0}. */
  public static String query(Map<String, ?> params, String vsn) {
    StringBuilder out = new StringBuilder();
    if (params != null) {
      for (Map.Entry<String, ?> entry : params.entrySet()) {
        append(out, String.valueOf(entry.getKey()), entry.getValue());
      }
    }
    appendPair(out, "vsn", vsn);
    return out.toString();
  }

  private static void append(StringBuilder out, String key, Object value) {
    if (value == null) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        append(out, key + "[" + entry.getKey() + "]", entry.getValue());
      }
    } else if (value instanceof Iterable<?> items) {
      int i = 0;
      for (Object item : items) {
        append(out, key + "[" + i++ + "]", item);
      }
    } else if (value.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(value); i++) {
        append(out, key + "[" + i + "]", Array.get(value, i));
      }
    } else {
      appendPair(out, key, String.valueOf(value));
    }
  }

  private static void appendPair(StringBuilder out, String key, String value) {
    if (out.length() > 0) {
      out.append('&');
    }
    out.append(encodeUriComponent(key)).append('=').append(encodeUriComponent(value));
  }

  /** Percent-encodes all but JavaScript's unreserved set {@code A-Z a-z 0-9 - _ . ! ~ * ' ( )}. */
  public static String encodeUriComponent(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-_.!~*'()".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
