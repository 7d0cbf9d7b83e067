package io.phoenixchannels.testserver.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;

/**
 * Completes the WebSocket upgrades that {@link UpgradeGate} accepted (selecting the negotiated subprotocol,
 * declining extensions), and sets the idle timeout and the frame limit of the sessions.
 */
final class WebSocketUpgrade implements WebSocketNegotiator {
  private final ServerCore core;

  WebSocketUpgrade(ServerCore core) {
    this.core = core;
  }

  @Override
  public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    Negotiation negotiation = (Negotiation) request.getAttribute(UpgradeGate.NEGOTIATION);
    if (negotiation == null) {
      throw new IllegalStateException("an upgrade reached Jetty without passing the UpgradeGate");
    }
    if (negotiation.subprotocol() != null) {
      response.setAcceptedSubProtocol(negotiation.subprotocol());
    }
    // Phoenix's WebSocket transport declines every extension (compress: false by default): a client offering
    // permessage-deflate, as Node's ws does, gets no Sec-WebSocket-Extensions back and sends plain frames.
    response.setExtensions(List.of());
    return new WebSocketEndpoint(core, negotiation);
  }

  @Override
  public void customize(Configuration configuration) {
    long max = core.options().maxFrameBytes();
    configuration.setIdleTimeout(core.options().idleTimeout());
    configuration.setMaxFrameSize(max);
    configuration.setMaxTextMessageSize(max);
    configuration.setMaxBinaryMessageSize(max);
  }

  static Map<String, List<String>> headers(HttpFields fields) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpField field : fields) {
      headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
          .add(field.getValue());
    }
    headers.replaceAll((name, values) -> List.copyOf(values));
    return headers;
  }

  static String remote(Request request) {
    return Request.getRemoteAddr(request) + ":" + Request.getRemotePort(request);
  }
}
