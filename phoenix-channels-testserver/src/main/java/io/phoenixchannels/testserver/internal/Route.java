package io.phoenixchannels.testserver.internal;

import io.phoenixchannels.testserver.ChannelHandler;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A topic pattern and the handler factory it leads to, as Phoenix's {@code channel "room:*", RoomChannel}: a
 * trailing {@code *} matches any rest of the topic, anything else matches exactly.
 */
public record Route(String pattern, Supplier<? extends ChannelHandler> factory) {

  /**
   * Checks the pattern.
   *
   * @throws IllegalArgumentException if {@code *} appears anywhere but at the end, as Phoenix refuses
   */
  public Route {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(factory, "factory");
    int star = pattern.indexOf('*');
    if (star >= 0 && star != pattern.length() - 1) {
      throw new IllegalArgumentException("channel patterns may only end with *, got '" + pattern + "'");
    }
  }

  /** Tells whether a topic takes this route. */
  public boolean matches(String topic) {
    return pattern.endsWith("*")
        ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(topic);
  }
}
