package io.phoenixchannels.okhttp;

import io.phoenixchannels.ConnectionException;
import io.phoenixchannels.ProtocolException;
import io.phoenixchannels.transport.AuthTokenSubprotocols;
import io.phoenixchannels.transport.Transport;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * A WebSocket transport over OkHttp, for Android (which has no {@code java.net.http}) and for apps that already
 * configure an {@link OkHttpClient}: its interceptors, proxy, certificate pinning, TLS settings, DNS, ping interval
 * and timeouts all apply.
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .certificatePinner(pinner)
 *     .build();
 * PhoenixSocket socket = PhoenixSocket.builder("wss://example.com/socket")
 *     .transport(OkHttpTransport.factory(client))
 *     .build();
 * }</pre>
 *
 * <p>It behaves as the JDK transport does: a refused upgrade fails with a {@link ConnectionException} carrying the
 * HTTP status; an auth token travels as the subprotocols {@code phoenix} and {@code base64url.bearer.phx.<token>}
 * (see {@link AuthTokenSubprotocols}), including a token whose Base64 has a {@code /}, which OkHttp sends and
 * Phoenix accepts although the JDK client refuses it; a server that does not select {@code phoenix} after a token
 * was sent has not authenticated the socket, and the connection fails. A frame larger than the socket's
 * {@code maxInboundFrameBytes} fails the connection with a {@link ProtocolException} and closes it with 1009.
 * OkHttp reads a whole message before handing it over, so that limit protects the socket from the message, not
 * the memory from reading it.
 *
 * <p>The socket's {@code connectTimeout} bounds the whole handshake (DNS, TCP, TLS and the upgrade) as OkHttp's
 * call timeout; the client's own connect timeout still applies to the TCP connection. Nothing in this class or
 * its path refers to {@code java.net.http}.
 *
 * <h2>Threads</h2>
 * The socket calls the transport's sends, close and abort on its event loop;
 * none of them blocks (OkHttp queues outgoing frames and writes them on its own thread). OkHttp calls this
 * transport's listener on its threads: the connection's reader thread for frames and closes, the dispatcher's
 * thread for a failed connect; this transport hands each call to the socket's {@link Transport.Listener}, one at a
 * time and in order, and the socket moves it to its event loop at once.
 *
 * <h2>Flow control</h2>
 * OkHttp has no way to stop reading. When the socket pauses reading (its application fell behind), this transport
 * holds OkHttp's reader thread for this connection after the frame it just delivered, until the socket resumes:
 * that thread reads nothing meanwhile, so TCP pushes back on the server as with the other transports. It is the
 * connection's own thread, never the socket's event loop; an abort or a failure releases it. Outbound, OkHttp
 * refuses a frame that would take its queue past 16 MiB and closes the connection itself; the transport then
 * reports its queue as over any limit, so that the socket fails with its own clear error.
 */
public final class OkHttpTransport {
  private OkHttpTransport() {}

  /**
   * Returns a factory that connects through the given client. The socket calls the factory on its event loop,
   * once per connection attempt; opening returns at once and connects on OkHttp's threads.
   *
   * @param client the app's client, shared as OkHttp recommends; this transport derives a per-connection client
   *     from it with {@link OkHttpClient#newBuilder()}, which shares its connection pool and threads
   * @return the factory
   */
  public static Transport.Factory factory(OkHttpClient client) {
    Objects.requireNonNull(client, "client");
    return (request, listener) -> OkHttpConnection.open(client, request, listener);
  }
}
