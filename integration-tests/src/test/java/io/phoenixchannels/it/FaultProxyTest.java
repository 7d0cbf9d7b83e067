package io.phoenixchannels.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy against a loopback echo server. */
class FaultProxyTest {
  private ServerSocket echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket socket = echo.accept();
          Thread pump = new Thread(() -> {
            try (socket) {
              socket.getInputStream().transferTo(socket.getOutputStream());
            } catch (IOException e) {
              // The proxy reset the connection.
            }
          });
          pump.setDaemon(true);
          pump.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    proxy = new FaultProxy(echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static String roundTrip(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes());
    out.flush();
    InputStream in = socket.getInputStream();
    byte[] back = in.readNBytes(text.length());
    return new String(back);
  }

  @Test
  void forwardsBothWays() throws IOException {
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
      assertThat(proxy.acceptedConnections()).isEqualTo(1);
    }
  }

  @Test
  void holdsBytesWhileBlackholedAndDeliversThemWhenHealed() throws Exception {
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, "a")).isEqualTo("a");
      proxy.blackhole();
      socket.getOutputStream().write("held".getBytes());
      CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(socket.getInputStream().readNBytes(4));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      assertThatThrownBy(() -> reply.get(300, TimeUnit.MILLISECONDS))
          .isInstanceOf(java.util.concurrent.TimeoutException.class);
      proxy.heal();
      assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("held");
    }
  }

  @Test
  void cutResetsOpenConnections() throws IOException {
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, "x")).isEqualTo("x");
      proxy.cut();
      assertThatThrownBy(() -> {
        for (int i = 0; i < 100; i++) {
          roundTrip(socket, "after the cut");
        }
      }).isInstanceOf(IOException.class);
    }
  }

  @Test
  void refusesNewConnectionsUntilAcceptingAgain() throws IOException {
    proxy.refuse();
    try (Socket refused = connect()) {
      assertThatThrownBy(() -> {
        if (refused.getInputStream().read() < 0) {
          throw new IOException("closed before any byte");
        }
      }).isInstanceOf(IOException.class);
    }
    assertThat(proxy.acceptedConnections()).as("nothing reached the server").isZero();
    proxy.accept();
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, "back")).isEqualTo("back");
    }
  }

  @Test
  void delaysKeepOrder() throws IOException {
    proxy.delay(Duration.ofMillis(50));
    try (Socket socket = connect()) {
      long start = System.nanoTime();
      assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 0);
  }
}
