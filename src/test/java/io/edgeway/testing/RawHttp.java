package io.edgeway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw-socket HTTP/1.1 client for hardening tests: sends exactly the bytes given (malformed
 * framing included) and reports what came back and whether the server closed the connection.
 * Blocking; runs on the test thread only.
 */
public final class RawHttp {
  private RawHttp() {}

  /** One response as received. */
  public record RawResponse(int status, Map<String, String> headers, String body, boolean closed, String raw) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Sends {@code request} (use \r\n explicitly) and reads one response, waiting up to 5 s. */
  public static RawResponse send(int port, String request) throws IOException {
    return send(port, request.getBytes(StandardCharsets.ISO_8859_1), 5000);
  }

  public static RawResponse send(int port, byte[] request, int timeoutMillis) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      RawResponse response = read(socket.getInputStream());
      if (response.closed()) {
        return response;
      }
      socket.setSoTimeout(500);
      boolean closed = isClosed(socket.getInputStream());
      return new RawResponse(response.status(), response.headers(), response.body(), closed, response.raw());
    }
  }

  /** Reads one response from the stream (Content-Length or chunked framing, else until close). */
  public static RawResponse read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        throw new IOException("timed out waiting for response headers; got: " + head, e);
      }
      if (b < 0) {
        if (head.size() == 0) {
          return new RawResponse(0, Map.of(), "", true, "");
        }
        throw new IOException("connection closed inside response headers: " + head);
      }
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headText = head.toString(StandardCharsets.ISO_8859_1);
    String[] lines = headText.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
            (a, b) -> a + ", " + b);
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean closed = false;
    String cl = headers.get("content-length");
    if (cl != null) {
      long n = Long.parseLong(cl);
      for (long i = 0; i < n; i++) {
        int b = in.read();
        if (b < 0) {
          closed = true;
          break;
        }
        body.write(b);
      }
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      closed = readChunked(in, body);
    } else if (status != 204 && status != 304 && status >= 200) {
      int b;
      while ((b = in.read()) >= 0) {
        body.write(b);
      }
      closed = true;
    }
    return new RawResponse(status, headers, body.toString(StandardCharsets.UTF_8), closed, headText);
  }

  private static boolean readChunked(InputStream in, ByteArrayOutputStream body) throws IOException {
    while (true) {
      String sizeLine = readLine(in);
      if (sizeLine == null) {
        return true;
      }
      int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
      if (size == 0) {
        readLine(in);
        return false;
      }
      for (int i = 0; i < size; i++) {
        int b = in.read();
        if (b < 0) {
          return true;
        }
        body.write(b);
      }
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        return sb.toString().replace("\r", "");
      }
      sb.append((char) b);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** True when the peer closed the connection within a short wait after the response. */
  private static boolean isClosed(InputStream in) throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
