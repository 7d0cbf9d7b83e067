package io.phoenixchannels.testserver.internal;

import io.phoenixchannels.testserver.TransportKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Runs Phoenix's connect step for WebSocket upgrades before Jetty's upgrade handler: a refusal is answered here,
 * exactly as Phoenix answers it (empty body, and {@code sec-websocket-protocol: phoenix} when a token was read),
 * which Jetty's upgrade path does not allow; an acceptance travels to {@link WebSocketUpgrade} as a request
 * attribute. Once the server is stopping, every request (WebSocket or long-poll) gets a 503.
 */
final class UpgradeGate extends Handler.Wrapper {
  static final String NEGOTIATION = UpgradeGate.class.getName() + ".negotiation";

  private final ServerCore core;
  private final String webSocketPath;
  private final AtomicBoolean stopping;

  UpgradeGate(ServerCore core, Handler next, AtomicBoolean stopping) {
    super(next);
    this.core = core;
    this.stopping = stopping;
    this.webSocketPath = core.options().path() + "/websocket";
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (stopping.get()) {
      response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
      response.write(true, null, callback);
      return true;
    }
    String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
    if (!Request.getPathInContext(request).equals(webSocketPath) || !"websocket".equalsIgnoreCase(upgrade)) {
      return super.handle(request, response, callback);
    }
    if (core.faults().interceptsWebSocketUpgrade(response, callback)) {
      return true;
    }
    Negotiation negotiation = core.negotiator().negotiate(TransportKind.WEBSOCKET, request.getHttpURI().getQuery(),
        WebSocketUpgrade.headers(request.getHeaders()), subprotocols(request), WebSocketUpgrade.remote(request));
    if (negotiation.accepted()) {
      request.setAttribute(NEGOTIATION, negotiation);
      return super.handle(request, response, callback);
    }
    response.setStatus(negotiation.httpStatus());
    if (negotiation.subprotocol() != null) {
      response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL, negotiation.subprotocol());
    }
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=0, private, must-revalidate");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
    response.write(true, null, callback);
    return true;
  }

  /** The offered subprotocols in order, from every {@code Sec-WebSocket-Protocol} header, split at commas. */
  private static List<String> subprotocols(Request request) {
    List<String> offered = new ArrayList<>();
    for (String header : request.getHeaders().getValuesList(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL)) {
      for (String value : header.split(",")) {
        if (!value.isBlank()) {
          offered.add(value.trim());
        }
      }
    }
    return offered;
  }
}
