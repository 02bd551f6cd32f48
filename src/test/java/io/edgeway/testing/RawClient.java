package io.edgeway.testing;

import io.edgeway.testing.RawHttp.RawResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One raw client connection that a test drives step by step: writes exactly the bytes given, in
 * as many TCP writes as the test wants, and reads responses or everything up to the close, each
 * read bounded by a deadline. Blocking; the test thread only.
 */
public final class RawClient implements AutoCloseable {
  private static final Pattern STATUS_LINE = Pattern.compile("(?:^|\r\n)(HTTP/1\\.[01] (\\d{3})[^\r\n]*)\r\n");

  private final Socket socket;

  private RawClient(Socket socket) {
    this.socket = socket;
  }

  /** Connects to 127.0.0.1:{@code port}. */
  public static RawClient connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    return new RawClient(socket);
  }

  /** Writes and flushes {@code text} (ISO-8859-1, use \r\n explicitly) in one write. */
  public RawClient write(String text) throws IOException {
    return write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawClient write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Writes, and reports false instead of failing when the peer already closed or reset. */
  public boolean tryWrite(String text) {
    try {
      write(text);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads one response (or interim response head, e.g. 100 Continue), waiting up to {@code timeout}. */
  public RawResponse readResponse(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    return RawHttp.read(socket.getInputStream());
  }

  /**
   * Everything the server sends until it closes the connection or {@code timeout} passes.
   *
   * @param text the bytes received (ISO-8859-1)
   * @param closed true when the server closed (EOF) or reset the connection before the deadline
   */
  public record Received(String text, boolean closed) {
    /** The status codes of every status line in {@link #text}, in order. */
    public java.util.List<Integer> statuses() {
      java.util.List<Integer> out = new java.util.ArrayList<>();
      Matcher m = STATUS_LINE.matcher(text);
      while (m.find()) {
        out.add(Integer.parseInt(m.group(2)));
      }
      return out;
    }
  }

  /** Reads until the server closes the connection or {@code timeout} passes. */
  public Received readUntilClosed(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[8192];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return new Received(got.toString(StandardCharsets.ISO_8859_1), false);
      }
      socket.setSoTimeout((int) Math.max(1, left));
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        continue;
      } catch (IOException e) {
        return new Received(got.toString(StandardCharsets.ISO_8859_1), true); // reset
      }
      if (n < 0) {
        return new Received(got.toString(StandardCharsets.ISO_8859_1), true);
      }
      got.write(buf, 0, n);
    }
  }

  /** True when the server closed the connection within {@code timeout} (anything it sent is dropped). */
  public boolean awaitClosed(Duration timeout) throws IOException {
    return readUntilClosed(timeout).closed();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
