package io.phoenixchannels.transport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * How a WebSocket transport carries a Phoenix auth token: in {@code Sec-WebSocket-Protocol}, as the subprotocols
 * {@code phoenix} and {@code base64url.bearer.phx.<token in standard Base64 without padding>}, which is what
 * phoenix.js sends and Phoenix 1.8 reads. A server that read the token selects {@code phoenix}; one that selects
 * nothing (Phoenix 1.7 ignores tokens) has not authenticated the socket, and the transport must fail the connection.
 *
 * <p>Standard Base64 can contain {@code /}, which the subprotocol syntax forbids: the JDK WebSocket client refuses
 * such a token, while OkHttp sends it and Phoenix accepts it. Phoenix decodes only the standard alphabet, so
 * base64url is no way out.
 *
 * <p>This class names nothing of {@code java.net.http}, so every transport may use it, on Android too. Its
 * methods are pure functions, safe on any thread.
 */
public final class AuthTokenSubprotocols {
  /** The subprotocol Phoenix selects when it has read the token. */
  public static final String PHOENIX = "phoenix";
  /** The prefix of the subprotocol that carries the token. */
  public static final String TOKEN_PREFIX = "base64url.bearer.phx.";

  private AuthTokenSubprotocols() {}

  /**
   * Computes the subprotocol that carries a token.
   *
   * @param token the token
   * @return {@code base64url.bearer.phx.} followed by the token's UTF-8 bytes in standard Base64 without padding
   */
  public static String tokenSubprotocol(String token) {
    return TOKEN_PREFIX
        + Base64.getEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Lists the subprotocols a WebSocket transport offers for a token, in the order phoenix.js sends them.
   *
   * @param token the token
   * @return {@code phoenix}, then the {@linkplain #tokenSubprotocol(String) token's subprotocol}
   */
  public static List<String> offered(String token) {
    return List.of(PHOENIX, tokenSubprotocol(token));
  }

  /**
   * Tells whether the server's selected subprotocol shows that it read the token.
   *
   * @param selected the {@code Sec-WebSocket-Protocol} of the server's 101 response, or {@code null} for none
   * @return true when it is {@code phoenix}
   */
  public static boolean accepted(String selected) {
    return PHOENIX.equals(selected);
  }
}
