package io.edgeway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

  @ParameterizedTest(name = "well-formed: {0}")
  @ValueSource(strings = {"a", "0f8fad5b-d9cb-469f-a165-70867728950e", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "req:1.2_3-4"})
  void wellFormed(String id) {
    assertThat(RequestIds.isWellFormed(id)).isTrue();
  }

  @ParameterizedTest(name = "not well-formed: [{0}]")
  @ValueSource(strings = {"", " ", "a b", "a\"b", "a\\b", "a\r\nb", "a;b", "a,b", "a=b", "a/b", "caf\u00e9", "<script>"})
  void notWellFormed(String id) {
    assertThat(RequestIds.isWellFormed(id)).isFalse();
  }

  @Test
  @DisplayName("length bound: 128 accepted, 129 refused; null refused")
  void lengthBound() {
    assertThat(RequestIds.isWellFormed("a".repeat(128))).isTrue();
    assertThat(RequestIds.isWellFormed("a".repeat(129))).isFalse();
    assertThat(RequestIds.isWellFormed(null)).isFalse();
  }

  @Test
  @DisplayName("generated ids are 32 lower-hex, well-formed and distinct")
  void generated() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = RequestIds.generate();
      assertThat(id).matches("[0-9a-f]{32}");
      assertThat(RequestIds.isWellFormed(id)).isTrue();
      seen.add(id);
    }
    assertThat(seen).hasSize(10_000);
  }
}
