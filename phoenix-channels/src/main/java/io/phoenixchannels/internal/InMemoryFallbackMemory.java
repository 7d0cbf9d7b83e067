package io.phoenixchannels.internal;

import io.phoenixchannels.FallbackMemory;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link FallbackMemory} in a concurrent set of endpoints, each reduced to its security, authority and path (so
 * {@code ws://h/socket} and {@code http://h/socket} are one endpoint, as they are one server).
 */
public final class InMemoryFallbackMemory implements FallbackMemory {
  /** The memory sockets share by default. */
  public static final InMemoryFallbackMemory SHARED = new InMemoryFallbackMemory();

  private final Set<String> longPollEndpoints = ConcurrentHashMap.newKeySet();

  @Override
  public boolean usesLongPoll(URI endpoint) {
    return longPollEndpoints.contains(key(endpoint));
  }

  @Override
  public void rememberLongPoll(URI endpoint) {
    longPollEndpoints.add(key(endpoint));
  }

  @Override
  public void forget(URI endpoint) {
    longPollEndpoints.remove(key(endpoint));
  }

  private static String key(URI endpoint) {
    String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    boolean secure = scheme.equals("wss") || scheme.equals("https");
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String authority = endpoint.getRawAuthority() == null ? "" : endpoint.getRawAuthority().toLowerCase(Locale.ROOT);
    return (secure ? "https://" : "http://") + authority + path;
  }

  @Override
  public String toString() {
    return "InMemoryFallbackMemory" + longPollEndpoints;
  }
}
