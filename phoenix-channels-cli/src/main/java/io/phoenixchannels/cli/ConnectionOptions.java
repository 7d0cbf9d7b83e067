package io.phoenixchannels.cli;

import io.phoenixchannels.PhoenixSocket;
import io.phoenixchannels.RejoinPolicy;
import io.phoenixchannels.transport.BuiltInTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a command connects: params, auth token, upgrade headers, serializer, transport, connect deadline. */
final class ConnectionOptions {
  @Option(names = "--param", paramLabel = "KEY=VALUE",
      description = "A connect param, sent in the URL query (repeatable), e.g. --param user_id=ada.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "An auth token, sent as Phoenix 1.8's authToken (never in the URL). One whose Base64 holds '/' "
          + "needs --longpoll (bench, on Netty, sends any).")
  String token;

  @Option(names = "--header", paramLabel = "NAME=VALUE",
      description = "An HTTP header for the WebSocket upgrade (repeatable).")
  Map<String, String> headers = new LinkedHashMap<>();

  @Option(names = "--vsn", paramLabel = "1|2", defaultValue = "2",
      description = "The serializer: 2 (JSON arrays and binary frames, the default) or 1 (JSON objects).")
  String vsn;

  @Option(names = "--longpoll",
      description = "Connect over HTTP long-polling instead of a WebSocket (for networks that block WebSockets).")
  boolean longPoll;

  @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How long the first connection may take before phx gives up with exit code 2 (default: "
          + "${DEFAULT-VALUE}).")
  Duration connectTimeout;

  /**
   * A socket builder for this URL with these options, and the quiet logger of a command-line client (what it has to
   * say arrives as events).
   *
   * @throws CliException a usage error for an unknown {@code --vsn}
   */
  PhoenixSocket.Builder builder(String url) {
    PhoenixSocket.Builder builder = PhoenixSocket.builder(url)
        .params(params)
        .vsn(serializer())
        .connectTimeout(connectTimeout)
        // A refused join is reported and closes the channel: asking again will not change the answer.
        .rejoinPolicy(RejoinPolicy.builder().retryJoinErrorIf(reply -> false).build())
        .logger(LineLogger.silent("io.phoenixchannels"));
    headers.forEach(builder::header);
    if (token != null) {
      builder.authToken(token);
    }
    if (longPoll) {
      builder.transport(BuiltInTransport.LONG_POLL);
    }
    return builder;
  }

  /**
   * Builds a socket for the JDK WebSocket (or long-poll with {@code --longpoll}), refusing first a token that the JDK
   * WebSocket cannot carry: the transport would refuse every connection attempt with advice that names the library's
   * Java options, and phx has a flag for it.
   */
  PhoenixSocket build(PhoenixSocket.Builder builder) {
    if (token != null && !longPoll && Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))
        .indexOf('/') >= 0) {
      throw CliException.usage("the auth token's Base64 form contains '/', which a WebSocket subprotocol cannot "
          + "carry, so phx cannot send this token over its WebSocket; add --longpoll (the token then travels in "
          + "the X-Phoenix-AuthToken header), or use a token whose Base64 has no '/'");
    }
    return buildAsIs(builder);
  }

  /**
   * Builds the socket for a transport that carries any token (bench's Netty), turning what the builder refuses (a
   * malformed URL) into a usage error.
   */
  PhoenixSocket buildAsIs(PhoenixSocket.Builder builder) {
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /**
   * Checks a socket URL the way the client does, for a command that connects later (the demo's clients): a bad one
   * is a usage error now rather than a failure halfway.
   */
  static void checkUrl(String url) {
    try {
      PhoenixSocket.builder(url).build().close();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /** The deadline of the first connection. */
  Duration connectTimeout() {
    return connectTimeout;
  }

  private String serializer() {
    return switch (vsn) {
      case "1", "1.0.0" -> "1.0.0";
      case "2", "2.0.0" -> "2.0.0";
      default -> throw CliException.usage("--vsn must be 1 or 2, got '" + vsn + "'");
    };
  }

  /** The connect params as given, for a command that shows them. */
  Map<String, String> params() {
    return Map.copyOf(params);
  }
}
