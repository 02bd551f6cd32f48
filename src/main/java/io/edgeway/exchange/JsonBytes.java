package io.edgeway.exchange;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON writer straight to UTF-8 bytes, for the documents built per request (the request event,
 * the access-log line): one pass per string (escape and encode together), no intermediate
 * {@code String}, and a buffer its owner reuses (one per event loop), so the only allocation per
 * document is the exact-size copy {@link #toByteArray} returns. Escaping follows
 * {@link JsonText}. Not thread-safe.
 */
public final class JsonBytes {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  /** A reused buffer that once held a huge document is not kept at that size. */
  private static final int KEEP_AT_MOST = 64 * 1024;

  private final int initialCapacity;
  private byte[] buf;
  private int size;

  public JsonBytes(int initialCapacity) {
    this.initialCapacity = initialCapacity;
    buf = new byte[initialCapacity];
  }

  public JsonBytes reset() {
    if (buf.length > KEEP_AT_MOST) {
      buf = new byte[initialCapacity];
    }
    size = 0;
    return this;
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  public JsonBytes raw(byte b) {
    ensure(1);
    buf[size++] = b;
    return this;
  }

  public JsonBytes raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
    return this;
  }

  /** {@code value} as a JSON string literal, or {@code null}. */
  public JsonBytes string(String value) {
    if (value == null) {
      return raw(NULL);
    }
    int length = value.length();
    // Worst case 6 bytes per char (\\uXXXX), plus the quotes; ensured once, not per char.
    ensure(length * 6 + 2);
    byte[] b = buf;
    int p = size;
    b[p++] = '"';
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x80) {
        if (c == '"' || c == '\\') {
          b[p++] = '\\';
        }
        b[p++] = (byte) c;
      } else if (c < 0x20 || c == 0x2028 || c == 0x2029) {
        // Control characters, and the two separators JavaScript parsers treat as line ends.
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = HEX[(c >> 12) & 0xF];
        b[p++] = HEX[(c >> 8) & 0xF];
        b[p++] = HEX[(c >> 4) & 0xF];
        b[p++] = HEX[c & 0xF];
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        int cp = Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))
            ? Character.toCodePoint(c, value.charAt(++i)) : -1;
        if (cp < 0) {
          b[p++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) encodes it
        } else {
          b[p++] = (byte) (0xF0 | (cp >> 18));
          b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (cp & 0x3F));
        }
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    b[p++] = '"';
    size = p;
    return this;
  }

  public JsonBytes number(long value) {
    if (value == Long.MIN_VALUE) {
      return raw(LONG_MIN);
    }
    ensure(20);
    if (value < 0) {
      buf[size++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    int p = size + digits;
    size = p;
    do {
      buf[--p] = (byte) ('0' + (value % 10));
      value /= 10;
    } while (value != 0);
    return this;
  }

  /** Nanoseconds as milliseconds with microsecond precision ({@code 12}, {@code 12.500}, {@code 0.042}). */
  public JsonBytes millis(long nanos) {
    long micros = nanos / 1_000;
    number(micros / 1_000);
    int fraction = (int) Math.abs(micros % 1_000);
    if (fraction != 0) {
      ensure(4);
      buf[size++] = '.';
      buf[size++] = (byte) ('0' + fraction / 100);
      buf[size++] = (byte) ('0' + fraction / 10 % 10);
      buf[size++] = (byte) ('0' + fraction % 10);
    }
    return this;
  }

  public JsonBytes bool(boolean value) {
    return raw(value ? TRUE : FALSE);
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
