package io.phoenixchannels.testserver;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A client's {@code phx_join}, as {@link ChannelHandler#join} sees it.
 *
 * @param topic the topic, for example {@code "room:lobby"}
 * @param params the join payload (usually an object; never {@code null})
 * @param joinRef the join reference the client chose for this join, or {@code null} (V1 clients may send none)
 * @param connection the connection joining
 */
public record JoinRequest(String topic, JsonNode params, String joinRef, ClientConnection connection) {

  /**
   * Returns one join param.
   *
   * @param name the param name
   * @return the value, or {@code null} when absent or when the params are not an object
   */
  public JsonNode param(String name) {
    return params.isObject() ? params.get(name) : null;
  }
}
