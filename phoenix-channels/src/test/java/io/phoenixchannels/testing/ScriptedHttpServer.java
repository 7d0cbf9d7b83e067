package io.phoenixchannels.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A minimal HTTP/1.1 server on loopback whose answers the test writes by hand: every request waits in a queue until
 * the test {@linkplain #take takes} it and {@linkplain Exchange#respond answers} it — or never does, as a held
 * long-poll request. It also sees what a real server hides: that the client gave up on a request it had not been
 * answered ({@link Exchange#awaitAbandoned}). One thread per connection; test code only.
 */
public final class ScriptedHttpServer implements AutoCloseable {
  private final ServerSocket server;
  private final BlockingQueue<Exchange> requests = new LinkedBlockingQueue<>();
  private final List<Exchange> taken = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  /** Starts on an ephemeral port of 127.0.0.1. */
  public ScriptedHttpServer() throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::accept, "scripted-http-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** How many TCP connections clients opened so far. */
  public int connectionCount() {
    return connections.get();
  }

  /**
   * Takes the next request, waiting for it.
   *
   * @throws AssertionError if none arrives in time
   */
  public Exchange take(Duration timeout) throws InterruptedException {
    Exchange exchange = requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (exchange == null) {
      throw new AssertionError("no HTTP request within " + timeout.toMillis() + " ms");
    }
    taken.add(exchange);
    return exchange;
  }

  /** Takes the next request that matches, leaving the others queued in their order. */
  public Exchange take(Predicate<Exchange> which, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      synchronized (requests) {
        for (Exchange exchange : requests) {
          if (which.test(exchange)) {
            requests.remove(exchange);
            taken.add(exchange);
            return exchange;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching HTTP request within " + timeout.toMillis() + " ms; waiting: "
              + requests);
        }
        requests.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  /** Takes the next GET. */
  public Exchange takeGet(Duration timeout) throws InterruptedException {
    return take(exchange -> exchange.method().equals("GET"), timeout);
  }

  /** Takes the next POST. */
  public Exchange takePost(Duration timeout) throws InterruptedException {
    return take(exchange -> exchange.method().equals("POST"), timeout);
  }

  /** The requests that arrived and were not taken yet. */
  public List<Exchange> waiting() {
    return List.copyOf(requests);
  }

  /** Fails if a request arrives (or waits) within the period. */
  public void assertNoRequest(Duration period) throws InterruptedException {
    Exchange extra = requests.poll(period.toMillis(), TimeUnit.MILLISECONDS);
    if (extra != null) {
      throw new AssertionError("unexpected request " + extra);
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      connections.incrementAndGet();
      sockets.add(socket);
      Thread reader = new Thread(() -> serve(socket), "scripted-http-" + socket.getPort());
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** Reads requests from one connection, one after the other (the JDK client does not pipeline). */
  private void serve(Socket socket) {
    Exchange previous = null;
    try (socket) {
      InputStream in = socket.getInputStream();
      while (true) {
        int first = in.read();
        if (first < 0) {
          if (previous != null) {
            previous.connectionClosed();
          }
          return;
        }
        Exchange exchange = readRequest(first, in, socket.getOutputStream());
        previous = exchange;
        synchronized (requests) {
          requests.add(exchange);
          requests.notifyAll();
        }
      }
    } catch (IOException e) {
      if (previous != null) {
        previous.connectionClosed();
      }
    }
  }

  private static Exchange readRequest(int first, InputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(first);
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside a request head");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = new byte[0];
    List<String> length = headers.get("content-length");
    if (length != null) {
      body = in.readNBytes(Integer.parseInt(length.get(0)));
    }
    return new Exchange(requestLine[0], requestLine[1], headers, new String(body, StandardCharsets.UTF_8), out);
  }

  /** One request and its answer. */
  public static final class Exchange {
    private final String method;
    private final String target;
    private final Map<String, List<String>> headers;
    private final String body;
    private final OutputStream out;
    private final CountDownLatch abandoned = new CountDownLatch(1);
    private volatile boolean answered;

    Exchange(String method, String target, Map<String, List<String>> headers, String body, OutputStream out) {
      this.method = method;
      this.target = target;
      this.headers = headers;
      this.body = body;
      this.out = out;
    }

    public String method() {
      return method;
    }

    /** The path and the raw query, as the request line has them. */
    public String target() {
      return target;
    }

    public String path() {
      return URI.create(target).getRawPath();
    }

    /** The query parameters, decoded, in order; a name that occurs twice has two entries. */
    public List<Map.Entry<String, String>> queryParams() {
      List<Map.Entry<String, String>> params = new ArrayList<>();
      String query = URI.create(target).getRawQuery();
      if (query == null || query.isEmpty()) {
        return params;
      }
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        params.add(Map.entry(URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8)));
      }
      return params;
    }

    /** The last value of a query parameter (Phoenix's reading of a repeated one), or {@code null}. */
    public String query(String name) {
      String value = null;
      for (Map.Entry<String, String> param : queryParams()) {
        if (param.getKey().equals(name)) {
          value = param.getValue();
        }
      }
      return value;
    }

    /** A header's first value, by case-insensitive name, or {@code null}. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    public String body() {
      return body;
    }

    /** The body's NDJSON lines. */
    public List<String> lines() {
      return body.isEmpty() ? List.of() : List.of(body.split("\n", -1));
    }

    /** Answers with HTTP 200 and a JSON body, as Phoenix answers every long-poll request. */
    public void respond(String json) throws IOException {
      respond(200, "application/json; charset=utf-8", json);
    }

    /** Answers with any status, content type and body. */
    public void respond(int status, String contentType, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Status") + "\r\n"
          + "content-type: " + contentType + "\r\n"
          + "content-length: " + bytes.length + "\r\n"
          + "cache-control: no-store\r\n\r\n";
      synchronized (out) {
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
      }
      answered = true;
    }

    /** Closes the connection without an answer: the client sees a transport failure. */
    public void cut() throws IOException {
      answered = true;
      out.close();
    }

    /**
     * Waits until the client closed the connection of this request without having had its answer: it aborted the
     * request.
     *
     * @return true if it did within the timeout
     */
    public boolean awaitAbandoned(Duration timeout) throws InterruptedException {
      return abandoned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isAnswered() {
      return answered;
    }

    void connectionClosed() {
      if (!answered) {
        abandoned.countDown();
      }
    }

    @Override
    public String toString() {
      return method + " " + target + (body.isEmpty() ? "" : " " + body);
    }
  }
}
