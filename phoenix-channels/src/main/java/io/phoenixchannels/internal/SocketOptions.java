package io.phoenixchannels.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.MessageCodec;
import io.phoenixchannels.ReconnectPolicy;
import io.phoenixchannels.RejoinPolicy;
import io.phoenixchannels.internal.log.Log;
import io.phoenixchannels.transport.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A socket's settings, fixed when it is built.
 *
 * @param transportFactory the transport, or {@code null} for the JDK WebSocket over the shared HTTP client
 * @param callbackExecutor the user's executor, or {@code null} to run callbacks on the event loop
 * @param authToken the token supplier, or {@code null} for no token
 * @param codec a custom wire format, or {@code null} for Phoenix's serializer of {@code vsn}
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
    Transport.Factory transportFactory,
    int inboundWindow,
    long maxOutboundBytes) {}
