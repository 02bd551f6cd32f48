package io.edgeway.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw HTTP/2 client for attack frames: writes frames exactly as told (HPACK literals without
 * Huffman or indexing, unless a test builds its own block) and reads whatever comes back as
 * frames, without decoding header blocks. Enough to see GOAWAY, RST_STREAM and HEADERS, which is
 * what the flood and framing tests assert on.
 */
public final class RawH2 implements AutoCloseable {
  public static final int DATA = 0x0;
  public static final int HEADERS = 0x1;
  public static final int RST_STREAM = 0x3;
  public static final int SETTINGS = 0x4;
  public static final int PING = 0x6;
  public static final int GOAWAY = 0x7;
  public static final int WINDOW_UPDATE = 0x8;
  public static final int CONTINUATION = 0x9;
  public static final int END_STREAM = 0x1;
  public static final int ACK = 0x1;
  public static final int END_HEADERS = 0x4;
  private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One frame as read. */
  public record Frame(int type, int flags, int streamId, byte[] payload) {
    /** The error code of a GOAWAY or RST_STREAM. */
    public long errorCode() {
      int at = type == GOAWAY ? 4 : 0;
      return ((payload[at] & 0xFFL) << 24) | ((payload[at + 1] & 0xFF) << 16) | ((payload[at + 2] & 0xFF) << 8)
          | (payload[at + 3] & 0xFF);
    }
  }

  /** What the connection returned until it closed or the wait ended. */
  public record Received(List<Frame> frames, boolean closed) {
    public Frame first(int type) {
      return frames.stream().filter(f -> f.type() == type).findFirst().orElse(null);
    }

    public List<Frame> onStream(int streamId) {
      return frames.stream().filter(f -> f.streamId() == streamId).toList();
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private RawH2(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Connects to 127.0.0.1:port and sends the preface and an empty SETTINGS. */
  public static RawH2 connect(int port) throws IOException {
    return connect(port, 0);
  }

  /** Like {@link #connect(int)}, with a small receive buffer when {@code receiveBuffer > 0}. */
  public static RawH2 connect(int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setTcpNoDelay(true);
    RawH2 client = new RawH2(socket);
    client.out.write(PREFACE);
    client.write(frame(SETTINGS, 0, 0, new byte[0]));
    return client;
  }

  /** A frame's bytes. */
  public static byte[] frame(int type, int flags, int streamId, byte[] payload) {
    byte[] f = new byte[9 + payload.length];
    f[0] = (byte) (payload.length >>> 16);
    f[1] = (byte) (payload.length >>> 8);
    f[2] = (byte) payload.length;
    f[3] = (byte) type;
    f[4] = (byte) flags;
    f[5] = (byte) (streamId >>> 24 & 0x7F);
    f[6] = (byte) (streamId >>> 16);
    f[7] = (byte) (streamId >>> 8);
    f[8] = (byte) streamId;
    System.arraycopy(payload, 0, f, 9, payload.length);
    return f;
  }

  /** An HPACK block of literal fields (never indexed, no Huffman): name, value, name, value... */
  public static byte[] block(String... nameValues) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < nameValues.length; i += 2) {
      b.write(0x10); // literal never indexed, new name
      string(b, nameValues[i]);
      string(b, nameValues[i + 1]);
    }
    return b.toByteArray();
  }

  /** A GET's request block for {@code path} on {@code authority}, plus extra name/value pairs. */
  public static byte[] request(String method, String path, String... extra) {
    String[] all = new String[8 + extra.length];
    String[] pseudo = {":method", method, ":scheme", "http", ":path", path, ":authority", "gw.test"};
    System.arraycopy(pseudo, 0, all, 0, 8);
    System.arraycopy(extra, 0, all, 8, extra.length);
    return block(all);
  }

  /** HPACK integer with a {@code prefixBits}-bit prefix whose high bits are {@code mask}. */
  public static void integer(ByteArrayOutputStream b, int mask, int prefixBits, int value) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      b.write(mask | value);
      return;
    }
    b.write(mask | max);
    value -= max;
    while (value >= 128) {
      b.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    b.write(value);
  }

  /** HPACK string literal without Huffman. */
  public static void string(ByteArrayOutputStream b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    integer(b, 0, 7, bytes.length);
    b.writeBytes(bytes);
  }

  public RawH2 write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  public RawH2 headers(int streamId, int flags, byte[] block) throws IOException {
    return write(frame(HEADERS, flags, streamId, block));
  }

  public static byte[] rst(int streamId, long code) {
    return frame(RST_STREAM, 0, streamId, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8),
        (byte) code});
  }

  public static byte[] ping(long data) {
    byte[] p = new byte[8];
    for (int i = 0; i < 8; i++) {
      p[i] = (byte) (data >>> (56 - 8 * i));
    }
    return frame(PING, 0, 0, p);
  }

  /**
   * Reads frames until the connection closes, a frame matching {@code until} arrives, or
   * {@code wait} passes. Frames are answered with nothing (no SETTINGS ack, no window updates).
   */
  public Received read(Duration wait, java.util.function.Predicate<Frame> until) throws IOException {
    List<Frame> frames = new ArrayList<>();
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return new Received(frames, false);
      }
      socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
      try {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7FFFFFFF;
        byte[] payload = new byte[length];
        in.readFully(payload);
        Frame frame = new Frame(type, flags, stream, payload);
        frames.add(frame);
        if (until.test(frame)) {
          return new Received(frames, false);
        }
      } catch (SocketTimeoutException e) {
        return new Received(frames, false);
      } catch (EOFException | java.net.SocketException e) {
        return new Received(frames, true);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
