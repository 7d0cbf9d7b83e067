package io.phoenixchannels.testserver.internal;

import io.phoenixchannels.testserver.TransportKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Runs Phoenix's connect step for WebSocket upgrades before Jetty's upgrade handler: a refusal is answered here,
 * exactly as Phoenix answers it (an empty body, Phoenix's JSON error body for a 500, and {@code
 * sec-websocket-protocol: phoenix} when it was selected), which Jetty's upgrade path does not allow; an acceptance
 * travels to {@link WebSocketUpgrade} as a request attribute. Once the server is stopping, every request (WebSocket
 * or long-poll) gets a 503.
 */
final class UpgradeGate extends Handler.Wrapper {
  static final String NEGOTIATION = UpgradeGate.class.getName() + ".negotiation";
  private static final byte[] CRASH_BODY = "{\"errors\":{\"detail\":\"Internal Server Error\"}}"
      .getBytes(StandardCharsets.UTF_8);

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
        WebSocketUpgrade.headers(request.getHeaders()),
        request.getHeaders().getValuesList(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL), WebSocketUpgrade.remote(request));
    if (negotiation.accepted()) {
      request.setAttribute(NEGOTIATION, negotiation);
      return super.handle(request, response, callback);
    }
    response.setStatus(negotiation.httpStatus());
    if (negotiation.subprotocol() != null) {
      response.getHeaders().put(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL, negotiation.subprotocol());
    }
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=0, private, must-revalidate");
    if (negotiation.httpStatus() == HttpStatus.INTERNAL_SERVER_ERROR_500) {
      // What Phoenix's error view renders for a request that crashed, such as a token that is not Base64.
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, CRASH_BODY.length);
      response.write(true, ByteBuffer.wrap(CRASH_BODY), callback);
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
    response.write(true, null, callback);
    return true;
  }
}
