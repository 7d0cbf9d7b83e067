package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phoenixchannels.testserver.ConnectDecision;
import io.phoenixchannels.testserver.ConnectRequest;
import io.phoenixchannels.testserver.TransportKind;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phoenix.Socket's connect step, shared by both transports: pick the serializer from {@code vsn}, read the auth
 * token (1.8), and ask the connect handler.
 */
final class ConnectNegotiator {
  /** The subprotocol prefix phoenix.js puts the auth token in. */
  public static final String AUTH_TOKEN_PREFIX = "base64url.bearer.phx.";
  /** The subprotocol Phoenix 1.8 selects when it read a token. */
  public static final String PHOENIX_SUBPROTOCOL = "phoenix";
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

  private final ServerCore core;

  ConnectNegotiator(ServerCore core) {
    this.core = core;
  }

  /**
   * Negotiates one connect attempt.
   *
   * @param transport the transport
   * @param rawQuery the URL query, undecoded, or {@code null}
   * @param headers the request headers by lower-case name
   * @param subprotocolHeaders the values of the WebSocket's {@code Sec-WebSocket-Protocol} headers, in order, one
   *     per header (empty for long-poll)
   * @param remoteAddress the client's address
   * @return refused with a status, or accepted
   */
  Negotiation negotiate(TransportKind transport, String rawQuery, Map<String, List<String>> headers,
      List<String> subprotocolHeaders, String remoteAddress) {
    int refusal = core.faults().refusalStatus();
    if (refusal != 0) {
      core.logger().log(Level.DEBUG, () -> "fault refuses a connection with " + refusal);
      return Negotiation.refused(refusal, null);
    }
    boolean v18 = core.options().version().atLeast18();
    ObjectNode params = QueryParams.parse(rawQuery);
    JsonNode vsnParam = params.get("vsn");
    if (vsnParam != null && !vsnParam.isTextual()) {
      // Phoenix 1.7 crashes on a non-string vsn (500); 1.8 refuses it.
      return Negotiation.refused(v18 ? 403 : 500, null);
    }
    String requested = vsnParam == null ? WireCodec.V1 : vsnParam.asText();
    String vsn = serializerFor(requested);
    if (vsn == null) {
      core.logger().log(Level.INFO, () -> "refusing a connection asking for unsupported vsn '" + requested + "'");
      return Negotiation.refused(403, null);
    }

    String token = null;
    String subprotocol = null;
    if (v18 && transport == TransportKind.WEBSOCKET) {
      // A 1.8 socket with auth tokens reads the first Sec-WebSocket-Protocol header: exactly one token in it is
      // taken out of it, and then the header must offer "phoenix", which is selected, unless nothing is left in
      // it. Taking the token out of a header that held nothing else removes that header, and the next one, if
      // any, is checked instead, as Plug's first-occurrence header functions do.
      List<String> first = subprotocolHeaders.isEmpty() ? List.of() : listed(subprotocolHeaders.get(0));
      List<String> tokens = first.stream().filter(offered -> offered.startsWith(AUTH_TOKEN_PREFIX)).toList();
      List<String> checked = first;
      if (tokens.size() == 1) {
        try {
          // Phoenix decodes the standard alphabet only (padding optional); base64url characters crash it.
          token = new String(Base64.getDecoder().decode(tokens.get(0).substring(AUTH_TOKEN_PREFIX.length())),
              StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          core.logger().log(Level.WARNING, () -> "answering 500: the auth token subprotocol is not standard Base64");
          return Negotiation.refused(500, null);
        }
        List<String> rest = new ArrayList<>(first);
        rest.remove(tokens.get(0));
        checked = !rest.isEmpty() ? rest
            : subprotocolHeaders.size() > 1 ? listed(subprotocolHeaders.get(1)) : List.of();
      }
      if (!checked.isEmpty()) {
        if (!checked.contains(PHOENIX_SUBPROTOCOL)) {
          List<String> offered = checked;
          core.logger().log(Level.INFO, () -> "refusing a WebSocket that offers the subprotocols " + offered
              + " but not \"" + PHOENIX_SUBPROTOCOL + "\"");
          return Negotiation.refused(403, null);
        }
        subprotocol = PHOENIX_SUBPROTOCOL;
      }
    } else if (v18) {
      List<String> values = headers.get("x-phoenix-authtoken");
      token = values == null || values.isEmpty() ? null : values.get(0);
    }

    ConnectRequest request = new ConnectRequest(transport, requested, params, headers, token, remoteAddress);
    ConnectDecision decision;
    try {
      decision = core.options().connectHandler().connect(request);
      if (decision == null) {
        throw new IllegalStateException("the connect handler returned null (use ConnectDecision.refuse())");
      }
    } catch (Throwable t) {
      Crashes.rethrowIfFatal(t);
      core.logger().log(Level.ERROR, "the connect handler threw; answering 500", t);
      return Negotiation.refused(500, subprotocol);
    }
    if (!decision.isAccepted()) {
      core.logger().log(Level.DEBUG, () -> "connect handler refused " + request);
      core.tell("refused", listener -> listener.refused(request));
      return Negotiation.refused(403, subprotocol);
    }
    return new Negotiation(0, request, decision, vsn, subprotocol);
  }

  /** A comma-separated header value as its trimmed, non-empty items, as Plug lists it. */
  private static List<String> listed(String headerValue) {
    List<String> items = new ArrayList<>();
    for (String item : headerValue.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  /** Phoenix's serializer requirements {@code ~> 1.0.0} and {@code ~> 2.0.0}, or {@code null}. */
  static String serializerFor(String vsn) {
    Matcher m = VERSION.matcher(vsn);
    if (!m.matches() || !m.group(2).equals("0")) {
      return null;
    }
    return switch (m.group(1)) {
      case "1" -> WireCodec.V1;
      case "2" -> WireCodec.V2;
      default -> null;
    };
  }
}
