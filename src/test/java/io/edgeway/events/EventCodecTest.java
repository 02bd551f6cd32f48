package io.edgeway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  // ASCII, 2-, 3- and 4-byte UTF-8, a lone surrogate (encoded '?', as String.getBytes does) and empty.
  private static final String[] STRINGS = {"bench", "café", "路由", "😀 route", "a\uD800b", "\uDC00", ""};

  @Test
  void sizeIsWhatStringGetBytesWouldEncode() {
    for (String s : STRINGS) {
      assertThat(EventCodec.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void encodesInPlaceAndDecodesTheSameEvent() {
    for (String s : STRINGS) {
      Event e = new Event("id-" + s, "io.edgeway.request.completed.v1", "/edgeway/" + s, s.isEmpty() ? null : s,
          1_764_201_615_042L, "topic", s, ("{\"s\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8));
      int size = EventCodec.size(e);
      ByteBuffer out = ByteBuffer.allocate(size + 3).position(3); // not at the buffer's start
      EventCodec.encode(e, out);
      assertThat(out.position()).isEqualTo(size + 3);
      byte[] payload = new byte[size];
      out.get(3, payload);
      Event decoded = EventCodec.decode(payload);
      // A lone surrogate comes back as '?', as it would through String.getBytes.
      Event expected = new Event(utf8(e.id()), e.type(), utf8(e.source()), e.subject() == null ? null : utf8(e.subject()),
          e.timeMillis(), e.topic(), utf8(e.key()), e.data());
      assertThat(decoded).usingRecursiveComparison().isEqualTo(expected);
    }
  }

  private static String utf8(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
