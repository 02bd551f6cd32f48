package io.edgeway.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonTextTest {
  private static String field(String value) {
    return "{" + JsonText.appendField(new StringBuilder(), "k", value) + "}";
  }

  @Test
  void plainTextIsCopiedAsIs() {
    assertThat(field("/api/users/42")).isEqualTo("{\"k\":\"/api/users/42\"}");
    assertThat(field("")).isEqualTo("{\"k\":\"\"}");
    assertThat(field(null)).isEqualTo("{\"k\":null}");
  }

  @Test
  void quotesBackslashesControlsAndLineSeparatorsAreEscapedWhereverTheyAre() {
    assertThat(field("a\"b\\c\n\u0001\u2028")).isEqualTo("{\"k\":\"a\\\"b\\\\c\\u000a\\u0001\\u2028\"}");
    assertThat(field("\"lead")).isEqualTo("{\"k\":\"\\\"lead\"}");
    // Whatever the input, the output parses back to it.
    String nasty = "x\u0000y\"z\\\u2029\u00e9\u4e2d";
    assertThat(new JsonObject(field(nasty)).getString("k")).isEqualTo(nasty);
  }
}
