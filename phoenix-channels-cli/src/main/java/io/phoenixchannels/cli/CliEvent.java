package io.phoenixchannels.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Something {@code phx} tells its user: a reply, a message, a presence change, a socket or channel state change,
 * an error, or a line of narration. With {@code --json} each event is one JSON object on its own line, its kind
 * in {@code "type"} ({@code {"type":"reply","topic":..,"event":..,"status":..,"response":..}}); without, one
 * readable line (see {@link HumanFormat}). Absent fields are left out of the JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonInclude(JsonInclude.Include.NON_NULL)
public interface CliEvent {

  /**
   * The outcome of a join, push or leave.
   *
   * @param topic the channel's topic
   * @param event the pushed event ({@code phx_join}, {@code phx_leave} for joins and leaves)
   * @param status {@code ok}, {@code error} or {@code timeout}
   * @param response the server's response ({@code {}} for a timeout)
   */
  @JsonTypeName("reply")
  record Reply(String topic, String event, String status, JsonNode response) implements CliEvent {}

  /**
   * A push or broadcast from the server.
   *
   * @param topic the topic
   * @param event the event
   * @param payload the payload
   */
  @JsonTypeName("message")
  record Message(String topic, String event, JsonNode payload) implements CliEvent {}

  /**
   * Metas joining or leaving a channel's Presence.
   *
   * @param topic the topic
   * @param event {@code join} or {@code leave}
   * @param key the presence key, usually a user id
   * @param metas the metas that joined or left
   */
  @JsonTypeName("presence")
  record PresenceChange(String topic, String event, String key, JsonNode metas) implements CliEvent {}

  /**
   * Everyone present on a channel, as asked for by the session's {@code presence} command.
   *
   * @param topic the topic
   * @param event {@code list}
   * @param presences {@code {key: [meta, ...]}}
   */
  @JsonTypeName("presence")
  record PresenceList(String topic, String event, JsonNode presences) implements CliEvent {}

  /**
   * The socket's connection opened or closed.
   *
   * @param state {@code open} or {@code closed}
   * @param url the endpoint
   * @param code the close code, for a close
   * @param reason the close reason or the failure, for a close
   * @param reconnecting for a close: true when the socket will reconnect by itself
   */
  @JsonTypeName("socket")
  record Socket(String state, String url, Integer code, String reason, Boolean reconnecting) implements CliEvent {}

  /**
   * A channel errored (and will rejoin) or closed (and will not).
   *
   * @param topic the topic
   * @param state {@code errored} or {@code closed}
   * @param reason why
   */
  @JsonTypeName("channel")
  record Channel(String topic, String state, String reason) implements CliEvent {}

  /**
   * Something went wrong: a connection failure, a bad command line in a session, a frame the client could not read.
   *
   * @param message what, in a sentence
   */
  @JsonTypeName("error")
  record Error(String message) implements CliEvent {}

  /**
   * The state of a session: its socket and channels.
   *
   * @param url the endpoint
   * @param state the socket's state
   * @param channels each channel's state by topic
   */
  @JsonTypeName("status")
  record Status(String url, String state, Map<String, String> channels) implements CliEvent {}

  /**
   * What a server run by {@code phx serve} saw: a connect, a refusal, a join, a refused join, a channel's end, a
   * disconnect.
   *
   * @param event {@code listening}, {@code connect}, {@code refused}, {@code join}, {@code join-refused},
   *     {@code leave}, {@code disconnect} or {@code log}
   * @param connection the connection's number on the server
   * @param detail who or what: the socket id, the topic, the close code and reason, the URL
   */
  @JsonTypeName("server")
  record Server(String event, Long connection, String detail) implements CliEvent {}

  /**
   * A step of the demo begins.
   *
   * @param number its number, from 1
   * @param of how many there are
   * @param title what it shows
   */
  @JsonTypeName("step")
  record Step(int number, int of, String title) implements CliEvent {}

  /**
   * A line of narration or help.
   *
   * @param text the line
   */
  @JsonTypeName("note")
  record Note(String text) implements CliEvent {}

  /**
   * The figures at the end of a demo.
   *
   * @param figures name to value, in order
   */
  @JsonTypeName("summary")
  record Summary(Map<String, Object> figures) implements CliEvent {}
}
