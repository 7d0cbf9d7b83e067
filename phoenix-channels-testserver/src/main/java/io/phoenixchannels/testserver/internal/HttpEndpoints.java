package io.phoenixchannels.testserver.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Plain HTTP under the socket path, behind the WebSocket upgrade handler: the long-poll endpoint, a 400 for a GET to
 * {@code /websocket} that is not an upgrade (as Phoenix answers), a 404 elsewhere.
 */
final class HttpEndpoints extends Handler.Abstract {
  private final String webSocketPath;
  private final String longPollPath;
  private final LongPollEndpoint longPoll;

  HttpEndpoints(ServerCore core, LongPollEndpoint longPoll) {
    this.webSocketPath = core.options().path() + "/websocket";
    this.longPollPath = core.options().path() + "/longpoll";
    this.longPoll = longPoll;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (path.equals(longPollPath)) {
      longPoll.handle(request, response, callback);
      return true;
    }
    response.setStatus(path.equals(webSocketPath) ? 400 : 404);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
    response.write(true, null, callback);
    return true;
  }
}
