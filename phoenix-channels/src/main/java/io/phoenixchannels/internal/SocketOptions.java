package io.phoenixchannels.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.EventLoop;
import io.phoenixchannels.EventLoopGroup;
import io.phoenixchannels.FallbackMemory;
import io.phoenixchannels.MessageCodec;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.RejoinPolicy;
import io.phoenixchannels.internal.log.Log;
import io.phoenixchannels.internal.protocol.Serializer;
import io.phoenixchannels.transport.AuthTokenSubprotocols;
import io.phoenixchannels.transport.BuiltInTransport;
import io.phoenixchannels.transport.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Everything a socket is configured with, checked once and fixed when it is built: the one way configuration
 * reaches a socket and the code it creates.
 *
 * @param params the connect params, read before every connect
 * @param codec a custom wire format, or {@code null} for Phoenix's serializer of {@code vsn}
 * @param heartbeatTimeout {@code null} for the heartbeat interval
 * @param log {@code null} for the platform's default logger
 * @param authToken the token supplier, or {@code null} for no token
 * @param callbackExecutor the user's executor, or {@code null} to run callbacks on the event loop
 * @param transport the user's transport, or {@code null} for the built-in one named by {@code builtInTransport}
 * @param longPollFallback the time the WebSocket has before long-poll takes over, or {@code null} for no fallback
 * @param longPollFallbackTransport the fallback's transport, or {@code null} for the built-in long-poll
 * @param eventLoopGroup the user's group, or {@code null}
 * @param eventLoop the user's loop, or {@code null}; with neither, the socket takes a share of the default group
 * @param inboundWindow frames received and not yet handled before reading pauses, 0 for no limit
 * @param maxOutboundBytes bytes queued in the transport past which the connection fails
 */
public record SocketOptions(
    URI endpoint,
    Supplier<? extends Map<String, ?>> params,
    String vsn,
    MessageCodec codec,
    Duration timeout,
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    Duration connectTimeout,
    ReconnectPolicy reconnectPolicy,
    RejoinPolicy rejoinPolicy,
    Log log,
    Map<String, String> headers,
    Supplier<String> authToken,
    ObjectMapper mapper,
    Executor callbackExecutor,
    int maxInboundFrameBytes,
    int sendBufferLimit,
    int pushBufferLimit,
    Transport.Factory transport,
    BuiltInTransport builtInTransport,
    Duration longPollTimeout,
    Duration longPollFallback,
    Transport.Factory longPollFallbackTransport,
    FallbackMemory fallbackMemory,
    EventLoopGroup eventLoopGroup,
    EventLoop eventLoop,
    int inboundWindow,
    long maxOutboundBytes) {

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException for an unsupported vsn, a non-positive duration or limit, a fallback or a
   *     codec the transports cannot carry
   */
  public SocketOptions {
    if (codec == null) {
      Serializer.forVsn(vsn, mapper);
    }
    heartbeatTimeout = heartbeatTimeout == null ? heartbeatInterval : heartbeatTimeout;
    log = log == null ? Log.platformDefault(Log.NAME) : log;
    headers = Map.copyOf(headers);
    requirePositive("timeout", timeout);
    requirePositive("heartbeatInterval", heartbeatInterval);
    requirePositive("heartbeatTimeout", heartbeatTimeout);
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("maxInboundFrameBytes", maxInboundFrameBytes);
    requirePositive("sendBufferLimit", sendBufferLimit);
    requirePositive("pushBufferLimit", pushBufferLimit);
    if (inboundWindow < 0) {
      throw new IllegalArgumentException("inboundWindow must be 0 (no limit) or positive, got " + inboundWindow);
    }
    if (maxOutboundBytes <= 0) {
      throw new IllegalArgumentException("maxOutboundBytes must be positive, got " + maxOutboundBytes);
    }
    requirePositive("longPollTimeout", longPollTimeout);
    boolean longPollOnly = transport == null && builtInTransport == BuiltInTransport.LONG_POLL;
    if (longPollFallback != null) {
      requirePositive("longPollFallback", longPollFallback);
      if (longPollOnly) {
        throw new IllegalArgumentException("longPollFallback needs a WebSocket transport to fall back from; this "
            + "socket uses long-poll already");
      }
    }
    if (codec != null && (longPollOnly || (transport != null && !transport.carriesCustomCodecs())
        || (longPollFallback != null && (longPollFallbackTransport == null
            || !longPollFallbackTransport.carriesCustomCodecs())))) {
      throw new IllegalArgumentException("a custom MessageCodec cannot be used over long-poll, which carries "
          + "Phoenix's JSON serializers only (as in phoenix.js); drop the codec, or the long-poll transport or "
          + "fallback");
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
    }
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
