package io.edgeway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An upstream that records byte for byte what the gateway sends it: a blocking
 * {@link ServerSocket} on 127.0.0.1 (port 0) with one daemon thread per connection, never on an
 * event loop. Per connection it keeps every byte received, each complete request it parsed
 * (Content-Length and chunked framing, trailers included), and whether and when the peer closed
 * the connection. Each complete request gets the configured response (after the configured
 * delay); an incomplete request is never answered, so a gateway that forwards a truncated body
 * cannot make it look complete.
 *
 * <p>Assertions poll with a deadline ({@link #awaitCondition}); nothing here sleeps to
 * synchronise.
 */
public final class RawUpstream implements AutoCloseable {
  /** The default answer to every complete request. */
  public static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  /** One header line as received. */
  public record Header(String name, String value) {}

  /**
   * A complete request as parsed.
   *
   * @param connectionId the connection that carried it
   * @param framing {@code content-length}, {@code chunked} or {@code none}
   * @param body the decoded body (ISO-8859-1)
   * @param raw the request exactly as received, head and framed body
   */
  public record Request(
      int connectionId, String method, String target, String version, List<Header> headers, String framing,
      String body, List<Header> trailers, String raw) {

    /** The first value of a header (case-insensitive), or null. */
    public String header(String name) {
      return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst().orElse(null);
    }

    /** All values of a header (case-insensitive). */
    public List<String> headers(String name) {
      return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /** The target's path, without the query. */
    public String path() {
      int q = target.indexOf('?');
      return q < 0 ? target : target.substring(0, q);
    }
  }

  /**
   * What one connection saw so far (a snapshot).
   *
   * @param received every byte received (ISO-8859-1)
   * @param requests the complete requests parsed, in order
   * @param partialHead the head of a request whose body had not ended when the snapshot was taken
   *     (or when the connection closed), else null
   * @param parseError why parsing stopped (unparseable framing), else null; the bytes after it are
   *     still recorded
   * @param peerClosed the gateway closed (or reset) the connection
   * @param closedAtNanos {@link System#nanoTime()} when the connection was seen closed, or 0
   */
  public record Connection(
      int id, long openedAtNanos, String received, List<Request> requests, String partialHead, String parseError,
      boolean peerClosed, long closedAtNanos) {

    public boolean closed() {
      return closedAtNanos != 0;
    }

    /** True when this connection carried {@code marker} anywhere in its bytes. */
    public boolean carried(String marker) {
      return received.contains(marker);
    }
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final AtomicInteger ids = new AtomicInteger();
  private final List<Conn> connections = new CopyOnWriteArrayList<>();
  private volatile Function<Request, String> responder = r -> OK;
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean closed;

  private RawUpstream() throws IOException {
    server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "raw-upstream-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  /** Starts listening on 127.0.0.1, an ephemeral port. */
  public static RawUpstream start() throws IOException {
    RawUpstream upstream = new RawUpstream();
    upstream.acceptor.start();
    return upstream;
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Answers every complete request with exactly these bytes (use \r\n explicitly). */
  public RawUpstream respondWith(String rawResponse) {
    return respondWith(r -> rawResponse);
  }

  /** Answers each complete request with the bytes the function returns for it. */
  public RawUpstream respondWith(Function<Request, String> responder) {
    this.responder = responder;
    return this;
  }

  /** Waits this long after a request is complete before answering. */
  public RawUpstream delay(Duration delay) {
    this.delay = delay;
    return this;
  }

  /** Snapshots of every connection accepted since start (or the last {@link #clear()}). */
  public List<Connection> connections() {
    List<Connection> out = new ArrayList<>();
    for (Conn c : connections) {
      out.add(c.snapshot());
    }
    return out;
  }

  /** A snapshot of one connection by id. */
  public Connection connection(int id) {
    for (Conn c : connections) {
      if (c.id == id) {
        return c.snapshot();
      }
    }
    throw new IllegalArgumentException("no connection " + id + " (known: " + connections().stream().map(Connection::id).toList() + ")");
  }

  /** Every complete request on every connection, in connection order. */
  public List<Request> completeRequests() {
    List<Request> out = new ArrayList<>();
    for (Conn c : connections) {
      out.addAll(c.snapshot().requests());
    }
    return out;
  }

  /** The complete requests whose target path starts with {@code pathPrefix}. */
  public List<Request> completeRequests(String pathPrefix) {
    return completeRequests().stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
  }

  /** The connections whose bytes contain {@code marker} (e.g. a unique path). */
  public List<Connection> connectionsCarrying(String marker) {
    return connections().stream().filter(c -> c.carried(marker)).toList();
  }

  /** Everything every connection received, concatenated (for "never saw X" assertions). */
  public String allReceived() {
    StringBuilder sb = new StringBuilder();
    for (Connection c : connections()) {
      sb.append(c.received());
    }
    return sb.toString();
  }

  /** Waits until exactly one connection carries {@code marker}, and returns it. */
  public Connection awaitConnectionCarrying(String marker, Duration timeout) {
    awaitCondition(timeout, () -> "a connection carrying " + marker + "; connections: " + describe(),
        () -> !connectionsCarrying(marker).isEmpty());
    List<Connection> carrying = connectionsCarrying(marker);
    if (carrying.size() != 1) {
      throw new AssertionError("expected one connection carrying " + marker + ", got " + carrying);
    }
    return carrying.get(0);
  }

  /** Waits until the connection is closed, and returns its final snapshot. */
  public Connection awaitConnectionClosed(int id, Duration timeout) {
    awaitCondition(timeout, () -> "upstream connection " + id + " closed; it is: " + connection(id),
        () -> connection(id).closed());
    return connection(id);
  }

  /** Waits until {@code n} complete requests with this path prefix arrived, and returns them. */
  public List<Request> awaitCompleteRequests(String pathPrefix, int n, Duration timeout) {
    awaitCondition(timeout, () -> n + " complete request(s) for " + pathPrefix + "; connections: " + describe(),
        () -> completeRequests(pathPrefix).size() >= n);
    return completeRequests(pathPrefix);
  }

  /** Forgets closed connections and what the open ones received so far. */
  public void clear() {
    connections.removeIf(Conn::isClosed);
    for (Conn c : connections) {
      c.clear();
    }
  }

  /** A short description of every connection, for failure messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (Connection c : connections()) {
      sb.append("\n  #").append(c.id()).append(c.closed() ? " closed" : " open").append(", ")
          .append(c.requests().size()).append(" complete request(s)")
          .append(c.partialHead() == null ? "" : ", partial: " + firstLine(c.partialHead()))
          .append(c.parseError() == null ? "" : ", parse error: " + c.parseError())
          .append(", ").append(c.received().length()).append(" bytes: ")
          .append(abbreviate(c.received()));
    }
    return sb.toString();
  }

  /**
   * Polls {@code condition} every 10 ms until it holds or {@code timeout} passed; then fails with
   * the description.
   */
  public static void awaitCondition(Duration timeout, Supplier<String> description, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + description.get());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + description.get(), e);
      }
    }
  }

  /** Polls {@code condition} until it holds (true) or {@code timeout} passed (false); never fails. */
  public static boolean waitFor(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** True when {@code condition} holds for the whole of {@code period} (polled every 10 ms). */
  public static boolean holdsFor(Duration period, BooleanSupplier condition) {
    long deadline = System.nanoTime() + period.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (!condition.getAsBoolean()) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Conn c : connections) {
      c.closeSocket();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Conn conn = new Conn(ids.incrementAndGet(), socket);
      connections.add(conn);
      Thread t = new Thread(conn::serve, "raw-upstream-" + port() + "-conn-" + conn.id);
      t.setDaemon(true);
      t.start();
    }
  }

  private static String firstLine(String s) {
    int eol = s.indexOf('\r');
    return eol < 0 ? s : s.substring(0, eol);
  }

  private static String abbreviate(String s) {
    String shown = s.length() <= 300 ? s : s.substring(0, 200) + "...(" + (s.length() - 300) + " more)..." + s.substring(s.length() - 100);
    return shown.replace("\r", "\\r").replace("\n", "\\n");
  }

  /** Thrown when the bytes are not a parseable request. */
  private static final class FramingError extends IOException {
    FramingError(String message) {
      super(message);
    }
  }

  /** One accepted connection: its recording and its parser thread. */
  private final class Conn {
    final int id;
    final Socket socket;
    final long openedAtNanos = System.nanoTime();
    private final StringBuilder received = new StringBuilder();
    private final List<Request> requests = new ArrayList<>();
    private String partialHead;
    private String parseError;
    private boolean peerClosed;
    private long closedAtNanos;
    // Bytes of the request being parsed, kept apart from the recording so clear() does not break it.
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();

    Conn(int id, Socket socket) {
      this.id = id;
      this.socket = socket;
    }

    synchronized Connection snapshot() {
      return new Connection(id, openedAtNanos, received.toString(), List.copyOf(requests), partialHead, parseError,
          peerClosed, closedAtNanos);
    }

    synchronized boolean isClosed() {
      return closedAtNanos != 0;
    }

    synchronized void clear() {
      received.setLength(0);
      requests.clear();
    }

    void closeSocket() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }

    private synchronized void record(byte[] b, int off, int len) {
      received.append(new String(b, off, len, StandardCharsets.ISO_8859_1));
    }

    void serve() {
      try {
        InputStream recording = new FilterInputStream(socket.getInputStream()) {
          @Override
          public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
              record(b, off, n);
            }
            return n;
          }
        };
        InputStream in = new BufferedInputStream(recording, 8192);
        OutputStream out = socket.getOutputStream();
        while (true) {
          Request request = readRequest(in);
          if (request == null) {
            break; // clean EOF between requests
          }
          synchronized (this) {
            requests.add(request);
            partialHead = null;
          }
          Duration wait = delay;
          if (!wait.isZero()) {
            Thread.sleep(wait.toMillis());
          }
          String response = responder.apply(request);
          out.write(response.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          if (response.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n")) {
            break;
          }
        }
        closed(true);
      } catch (FramingError e) {
        synchronized (this) {
          parseError = e.getMessage();
        }
        drainUntilClosed();
      } catch (EOFException | SocketException e) {
        closed(true); // EOF inside a request, or a reset
      } catch (IOException e) {
        closed(true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed(false);
      } finally {
        closeSocket();
      }
    }

    private void drainUntilClosed() {
      try {
        InputStream raw = socket.getInputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = raw.read(buf)) >= 0) {
          record(buf, 0, n);
        }
      } catch (IOException ignored) {
        // reset counts as closed
      }
      closed(true);
    }

    private synchronized void closed(boolean byPeer) {
      if (closedAtNanos == 0) {
        closedAtNanos = System.nanoTime();
        peerClosed = byPeer;
      }
    }

    /** Reads one request; null on EOF before its first byte; EOFException on EOF inside it. */
    private Request readRequest(InputStream in) throws IOException {
      current.reset();
      String requestLine = readLine(in, true);
      if (requestLine == null) {
        return null;
      }
      String[] parts = requestLine.split(" ", -1);
      if (parts.length != 3) {
        throw new FramingError("request line: " + requestLine);
      }
      List<Header> headers = readFields(in);
      synchronized (this) {
        partialHead = current.toString(StandardCharsets.ISO_8859_1);
      }
      String te = null;
      String cl = null;
      for (Header h : headers) {
        if (h.name().equalsIgnoreCase("Transfer-Encoding")) {
          te = h.value();
        } else if (h.name().equalsIgnoreCase("Content-Length")) {
          if (cl != null && !cl.equals(h.value())) {
            throw new FramingError("two Content-Length: " + cl + ", " + h.value());
          }
          cl = h.value();
        }
      }
      if (te != null && cl != null) {
        throw new FramingError("both Content-Length and Transfer-Encoding");
      }
      String framing;
      List<Header> trailers = List.of();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (te != null) {
        if (!te.trim().equalsIgnoreCase("chunked")) {
          throw new FramingError("Transfer-Encoding: " + te);
        }
        framing = "chunked";
        trailers = readChunked(in, body);
      } else if (cl != null) {
        framing = "content-length";
        long n;
        try {
          n = Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
          throw new FramingError("Content-Length: " + cl);
        }
        for (long i = 0; i < n; i++) {
          body.write(readByte(in));
        }
      } else {
        framing = "none";
      }
      return new Request(id, parts[0], parts[1], parts[2], List.copyOf(headers), framing,
          body.toString(StandardCharsets.ISO_8859_1), trailers, current.toString(StandardCharsets.ISO_8859_1));
    }

    private List<Header> readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
      while (true) {
        String sizeLine = readLine(in, false);
        int semi = sizeLine.indexOf(';');
        String hex = semi < 0 ? sizeLine : sizeLine.substring(0, semi);
        if (hex.isEmpty() || hex.length() > 16 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          throw new FramingError("chunk size: " + sizeLine);
        }
        long size = Long.parseUnsignedLong(hex, 16);
        if (size == 0) {
          return readFields(in);
        }
        for (long i = 0; i < size; i++) {
          body.write(readByte(in));
        }
        if (readByte(in) != '\r' || readByte(in) != '\n') {
          throw new FramingError("chunk data not followed by CRLF");
        }
      }
    }

    private List<Header> readFields(InputStream in) throws IOException {
      List<Header> fields = new ArrayList<>();
      while (true) {
        String line = readLine(in, false);
        if (line.isEmpty()) {
          return fields;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new FramingError("header line: " + line);
        }
        fields.add(new Header(line.substring(0, colon), line.substring(colon + 1).trim()));
      }
    }

    private int readByte(InputStream in) throws IOException {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside a request");
      }
      current.write(b);
      return b;
    }

    /** A CRLF-terminated line without the CRLF; a bare CR or LF is a framing error. */
    private String readLine(InputStream in, boolean eofAllowedAtStart) throws IOException {
      StringBuilder sb = new StringBuilder();
      while (true) {
        int b = in.read();
        if (b < 0) {
          if (eofAllowedAtStart && sb.length() == 0) {
            return null;
          }
          throw new EOFException("connection closed inside a request");
        }
        current.write(b);
        if (b == '\r') {
          int next = readByte(in);
          if (next != '\n') {
            throw new FramingError("bare CR in: " + sb);
          }
          return sb.toString();
        }
        if (b == '\n') {
          throw new FramingError("bare LF in: " + sb);
        }
        sb.append((char) b);
      }
    }
  }
}
