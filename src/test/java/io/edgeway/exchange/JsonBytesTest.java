package io.edgeway.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class JsonBytesTest {

  private static String utf8(JsonBytes json) {
    return new String(json.toByteArray(), StandardCharsets.UTF_8);
  }

  @Test
  void stringsAreEscapedAndEncodedExactlyLikeJsonTextThenUtf8() {
    List<String> samples = List.of("", "plain /path/a-b_c.d?x=1", "quote \" and \\ backslash", "tab\tnew\nline\u0000nul\u001f",
        "caf\u00e9 \u20ac \u4e2d\u6587", "emoji \ud83d\ude00 pair", "line \u2028 and paragraph \u2029 separators",
        "lone high \ud83d end", "lone low \ude00 end", "\u007f del");
    for (String s : samples) {
      String expected = JsonText.appendString(new StringBuilder(), s).toString();
      assertThat(new JsonBytes(4).string(s).toByteArray()).as(s).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void randomStringsRoundTripThroughAJsonParser() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int n = 0; n < 2_000; n++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        int kind = random.nextInt(4);
        s.appendCodePoint(kind == 0 ? random.nextInt(0x80) : kind == 1 ? random.nextInt(0x800)
            : kind == 2 ? random.nextInt(0xD800) : 0x10000 + random.nextInt(0x10FFFF - 0x10000));
      }
      JsonBytes json = new JsonBytes(8).raw("{\"v\":".getBytes(StandardCharsets.US_ASCII)).string(s.toString())
          .raw((byte) '}');
      assertThat(new JsonObject(utf8(json)).getString("v")).isEqualTo(s.toString());
    }
  }

  @Test
  void nullIsTheJsonLiteral() {
    assertThat(utf8(new JsonBytes(1).string(null))).isEqualTo("null");
  }

  @Test
  void numbers() {
    for (long v : new long[] {0, 7, 10, 99, 1234567890123L, -1, -4711, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertThat(utf8(new JsonBytes(2).number(v))).isEqualTo(Long.toString(v));
    }
  }

  @Test
  void millisKeepMicrosecondPrecision() {
    assertThat(utf8(new JsonBytes(2).millis(12_000_000))).isEqualTo("12");
    assertThat(utf8(new JsonBytes(2).millis(12_500_000))).isEqualTo("12.500");
    assertThat(utf8(new JsonBytes(2).millis(42_000))).isEqualTo("0.042");
    assertThat(utf8(new JsonBytes(2).millis(1_234_567_891))).isEqualTo("1234.567");
    assertThat(utf8(new JsonBytes(2).millis(999))).isEqualTo("0");
  }

  @Test
  void aReusedBufferStartsEmptyAndDropsAHugeOne() {
    JsonBytes json = new JsonBytes(16);
    json.string("x".repeat(100_000));
    assertThat(json.reset().size()).isZero();
    assertThat(utf8(json.bool(true).raw((byte) ',').bool(false))).isEqualTo("true,false");
  }
}
