package io.phoenixchannels.testserver.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.phoenixchannels.testserver.ConnectHandler;
import io.phoenixchannels.testserver.PhoenixVersion;
import io.phoenixchannels.testserver.ServerListener;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/** The settings a test server was built with; {@code tls} is {@code null} for plain ws:// and http://. */
public record ServerOptions(String host, int port, String path, PhoenixVersion version, Duration idleTimeout,
    int maxFrameBytes, Duration longPollWindow, int maxChannelsPerSocket, boolean recordFrames, ObjectMapper mapper, System.Logger logger,
    ConnectHandler connectHandler, List<Route> routes, ServerListener listener, SSLContext tls) {

  public ServerOptions {
    routes = List.copyOf(routes);
  }
}
