package io.phoenixchannels.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.internal.loop.ThreadEventLoop;
import io.phoenixchannels.transport.Transport;
import io.phoenixchannels.transport.TransportRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Connects a transport where it must fail, and checks that the error names what happened (issue: a refused
 * connection once read "cannot connect to ...: null"). Each transport's test calls these with its own factory.
 * A raw TCP server plays each failure: nobody listening, a host that does not exist, a server that never answers,
 * one that answers TLS with plain text, and one that refuses the upgrade with an HTTP status.
 */
public final class ConnectionFailures {
  /** The connect timeout of the attempts: short, since one scenario waits for it. */
  public static final Duration TIMEOUT = Duration.ofMillis(700);
  private static final long DEADLINE_SECONDS = 30;
  /** The event loop of the requests, which the long-poll transport needs. */
  private static final ThreadEventLoop LOOP = new ThreadEventLoop("connection-failures");

  private ConnectionFailures() {}

  /** Nobody listens on the port. */
  public static ConnectionException refused(Transport.Factory factory, String scheme) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    ConnectionException error = attempt(factory, scheme + "://127.0.0.1:" + port + "/socket");
    assertThat(error.getMessage()).contains("connection refused").doesNotContain("null");
    return error;
  }

  /** The host name does not resolve ({@code .invalid} never does, RFC 2606). */
  public static ConnectionException unknownHost(Transport.Factory factory, String scheme) throws Exception {
    ConnectionException error = attempt(factory, scheme + "://no-such-host.invalid:4000/socket");
    assertThat(error.getMessage()).contains("unknown host no-such-host.invalid").doesNotContain("null");
    return error;
  }

  /** The server accepts the TCP connection and never answers: the message quotes the timeout. */
  public static ConnectionException timedOut(Transport.Factory factory, String scheme, String expected)
      throws Exception {
    try (RawServer server = new RawServer(null)) {
      ConnectionException error = attempt(factory, scheme + "://127.0.0.1:" + server.port() + "/socket");
      assertThat(error.getMessage()).contains(expected + " " + TIMEOUT.toMillis() + " ms").doesNotContain("null");
      return error;
    }
  }

  /** A {@code wss}/{@code https} connection to a server that speaks plain text. */
  public static ConnectionException tls(Transport.Factory factory, String scheme) throws Exception {
    try (RawServer server = new RawServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")) {
      ConnectionException error = attempt(factory, scheme + "://127.0.0.1:" + server.port() + "/socket");
      assertThat(error.getMessage()).contains("TLS handshake failed").doesNotContain(": null");
      return error;
    }
  }

  /** The server refuses the upgrade with 403. */
  public static ConnectionException httpStatus(Transport.Factory factory, String scheme, String expected)
      throws Exception {
    try (RawServer server = new RawServer("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")) {
      ConnectionException error = attempt(factory, scheme + "://127.0.0.1:" + server.port() + "/socket");
      assertThat(error.getMessage()).contains(expected).doesNotContain("null");
      assertThat(error.httpStatus()).hasValue(403);
      return error;
    }
  }

  /** Opens a transport and returns the error it reports before its close. */
  private static ConnectionException attempt(Transport.Factory factory, String url) throws Exception {
    TransportRequest request = TransportRequest.builder(URI.create(url)).query("vsn=2.0.0")
        .connectTimeout(TIMEOUT).eventLoop(LOOP).build();
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    List<Integer> closes = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    factory.open(request, new Transport.Listener() {
      @Override
      public void onOpen() {
        error.completeExceptionally(new AssertionError("the connection opened"));
      }

      @Override
      public void onText(String text) {}

      @Override
      public void onBinary(ByteBuffer data) {}

      @Override
      public void onError(Throwable e) {
        error.complete(e);
      }

      @Override
      public void onClose(int code, String reason) {
        closes.add(code);
        closed.complete(null);
      }
    });
    Throwable reported = error.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    closed.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertThat(reported).isInstanceOf(ConnectionException.class);
    assertThat(closes).hasSize(1);
    return (ConnectionException) reported;
  }

  /** Accepts connections; reads what comes; answers each with a fixed text, or never when it is null. */
  private static final class RawServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    RawServer(String answer) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket client = socket.accept();
            accepted.add(client);
            if (answer != null) {
              Thread answering = new Thread(() -> answer(client, answer));
              answering.setDaemon(true);
              answering.start();
            }
          } catch (IOException closed) {
            return;
          }
        }
      }, "raw-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private static void answer(Socket client, String answer) {
      try (client) {
        InputStream in = client.getInputStream();
        in.read(new byte[8192]); // the request or a TLS ClientHello
        OutputStream out = client.getOutputStream();
        out.write(answer.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Let the client read the answer before the connection ends.
        while (in.read(new byte[8192]) >= 0) {
          // drain until the client gives up
        }
      } catch (IOException ignored) {
        // the client went away
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket client : accepted) {
        client.close();
      }
    }
  }
}
