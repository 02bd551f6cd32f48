package io.edgeway.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The journal's record payload format for an {@link Event} (version byte, then the fields). The
 * journal encodes straight into its write buffer ({@link #size}, then {@link #encode}), so an
 * append allocates nothing per event; strings are written as UTF-8 exactly as
 * {@link String#getBytes} with UTF-8 would write them.
 */
final class EventCodec {
  private static final byte VERSION = 1;

  private EventCodec() {}

  /** The encoded size of {@code e} in bytes. */
  static int size(Event e) {
    return 1 + field(e.id()) + field(e.type()) + field(e.source()) + field(e.subject()) + field(e.topic())
        + field(e.key()) + 8 + 4 + e.data().length;
  }

  /** Writes {@code e} at {@code out}'s position, which has at least {@link #size} bytes remaining. */
  static void encode(Event e, ByteBuffer out) {
    out.put(VERSION);
    string(e.id(), out);
    string(e.type(), out);
    string(e.source(), out);
    string(e.subject(), out);
    string(e.topic(), out);
    string(e.key(), out);
    out.putLong(e.timeMillis());
    out.putInt(e.data().length).put(e.data());
  }

  static Event decode(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    byte version = b.get();
    if (version != VERSION) {
      throw new IllegalArgumentException("journal record version: " + version + " (expected: " + VERSION + ")");
    }
    String id = string(b);
    String type = string(b);
    String source = string(b);
    String subject = string(b);
    String topic = string(b);
    String key = string(b);
    long time = b.getLong();
    byte[] data = new byte[b.getInt()];
    b.get(data);
    return new Event(id, type, source, subject, time, topic, key, data);
  }

  private static int field(String s) {
    return 4 + (s == null ? 0 : utf8Length(s));
  }

  /** What {@code s.getBytes(UTF_8).length} is, without encoding (a lone surrogate is one byte, '?'). */
  static int utf8Length(String s) {
    int length = s.length();
    int bytes = length;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        if (c < 0x800) {
          bytes += 1;
        } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
          bytes += 2; // two chars, four bytes
          i++;
        } else if (!Character.isSurrogate(c)) {
          bytes += 2;
        }
      }
    }
    return bytes;
  }

  private static void string(String s, ByteBuffer out) {
    if (s == null) {
      out.putInt(-1);
      return;
    }
    int lengthAt = out.position();
    out.putInt(0);
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        out.put((byte) c);
      } else if (c < 0x800) {
        out.put((byte) (0xC0 | (c >> 6))).put((byte) (0x80 | (c & 0x3F)));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          out.put((byte) (0xF0 | (cp >> 18))).put((byte) (0x80 | ((cp >> 12) & 0x3F)))
              .put((byte) (0x80 | ((cp >> 6) & 0x3F))).put((byte) (0x80 | (cp & 0x3F)));
        } else {
          out.put((byte) '?');
        }
      } else {
        out.put((byte) (0xE0 | (c >> 12))).put((byte) (0x80 | ((c >> 6) & 0x3F))).put((byte) (0x80 | (c & 0x3F)));
      }
    }
    out.putInt(lengthAt, out.position() - lengthAt - 4);
  }

  private static String string(ByteBuffer b) {
    int length = b.getInt();
    if (length < 0) {
      return null;
    }
    byte[] s = new byte[length];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }
}
