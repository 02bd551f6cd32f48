package io.edgeway.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The journal's record payload format for an {@link Event} (version byte, then the fields). */
final class EventCodec {
  private static final byte VERSION = 1;

  private EventCodec() {}

  static byte[] encode(Event e) {
    byte[][] strings = {bytes(e.id()), bytes(e.type()), bytes(e.source()), bytes(e.subject()), bytes(e.topic()),
        bytes(e.key())};
    int size = 1 + 8 + 4 + e.data().length;
    for (byte[] s : strings) {
      size += 4 + (s == null ? 0 : s.length);
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(VERSION);
    for (byte[] s : strings) {
      if (s == null) {
        b.putInt(-1);
      } else {
        b.putInt(s.length).put(s);
      }
    }
    b.putLong(e.timeMillis());
    b.putInt(e.data().length).put(e.data());
    return b.array();
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

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
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
