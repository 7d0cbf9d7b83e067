package io.phoenixchannels;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Why a channel went {@link ChannelState#ERRORED}, as its {@link PhoenixChannel#onError error listeners} see it.
 *
 * @param fromServer true for a {@code phx_error} from the server (the channel process crashed); false when the
 *     socket's connection closed, failed or missed a heartbeat
 * @param reason {@code "channel_crash"} (Phoenix 1.8) or {@code "phx_error"} (1.7 sends no reason) for a crash;
 *     {@code "connection_closed"}, {@code "connection_error"} or {@code "heartbeat_timeout"} for the transport
 * @param payload the {@code phx_error} payload, or {@code {"source":"transport","reason":...}} as phoenix.js
 *     reports it
 */
public record ChannelError(boolean fromServer, String reason, JsonNode payload) {}
