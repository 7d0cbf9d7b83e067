package io.phoenixchannels.transport;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK {@link WebSocket} whose behaviour a test scripts, behind an {@link HttpClient} that hands it out: the test
 * plays the JDK's side of {@link WebSocketTransport} (the listener calls, failing sends) in whatever order a race
 * on a real connection could produce. The upgrade succeeds at once.
 */
final class ScriptedJdkWebSocket implements WebSocket {
  private final List<CharSequence> sent = new ArrayList<>();
  private WebSocket.Listener listener;
  private IOException sendFailure;
  private boolean aborted;
  private long requested;
  private CompletableFuture<WebSocket> heldSend;
  private boolean holdSends;

  /** An HTTP client whose WebSocket builder connects to this WebSocket. */
  HttpClient client() {
    return new ScriptedClient();
  }

  /** The transport's listener, to deliver what the JDK would: {@code onClose}, {@code onError}, frames. */
  WebSocket.Listener listener() {
    return listener;
  }

  /** Makes every later send fail, as the JDK's do once the TCP connection is closed. */
  void failSends(IOException failure) {
    this.sendFailure = failure;
  }

  /** Makes later sends wait until {@link #completeHeldSend()}, as over a slow network. */
  void holdSends() {
    holdSends = true;
  }

  /** Completes the send that waits, as the JDK does once it is written. */
  void completeHeldSend() {
    CompletableFuture<WebSocket> held = heldSend;
    heldSend = null;
    held.complete(this);
  }

  /** How many messages the transport has asked the JDK for, in all. */
  long requested() {
    return requested;
  }

  List<CharSequence> sent() {
    return sent;
  }

  boolean isAborted() {
    return aborted;
  }

  @Override
  public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
    if (sendFailure != null) {
      return CompletableFuture.failedFuture(sendFailure);
    }
    sent.add(data);
    if (holdSends) {
      heldSend = new CompletableFuture<>();
      return heldSend;
    }
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
    return sendText("<binary>", last);
  }

  @Override
  public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public void request(long n) {
    requested += n;
  }

  @Override
  public String getSubprotocol() {
    return "";
  }

  @Override
  public boolean isOutputClosed() {
    return sendFailure != null || aborted;
  }

  @Override
  public boolean isInputClosed() {
    return aborted;
  }

  @Override
  public void abort() {
    aborted = true;
  }

  /** Builds the scripted WebSocket: opens it at once, as a successful upgrade. */
  private final class ScriptedBuilder implements WebSocket.Builder {
    @Override
    public WebSocket.Builder header(String name, String value) {
      return this;
    }

    @Override
    public WebSocket.Builder connectTimeout(Duration timeout) {
      return this;
    }

    @Override
    public WebSocket.Builder subprotocols(String mostPreferred, String... lesserPreferred) {
      return this;
    }

    @Override
    public CompletableFuture<WebSocket> buildAsync(URI uri, WebSocket.Listener webSocketListener) {
      listener = webSocketListener;
      webSocketListener.onOpen(ScriptedJdkWebSocket.this);
      return CompletableFuture.completedFuture(ScriptedJdkWebSocket.this);
    }
  }

  /** An HTTP client good for nothing but handing out the scripted WebSocket. */
  private final class ScriptedClient extends HttpClient {
    @Override
    public WebSocket.Builder newWebSocketBuilder() {
      return new ScriptedBuilder();
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      throw new UnsupportedOperationException();
    }

    @Override
    public SSLParameters sslParameters() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
        HttpResponse.BodyHandler<T> handler) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
        HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
      throw new UnsupportedOperationException();
    }
  }
}
