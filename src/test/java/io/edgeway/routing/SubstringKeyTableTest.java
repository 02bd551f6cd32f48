package io.edgeway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubstringKeyTableTest {

  @Test
  void findsKeysByRangeAndWholeString() {
    SubstringKeyTable<Integer> t = new SubstringKeyTable<>(Map.of("api", 1, "", 2, "users", 3));
    assertThat(t.get("/api/users", 1, 4)).isEqualTo(1);
    assertThat(t.get("/api/users", 5, 10)).isEqualTo(3);
    assertThat(t.get("/api/", 5, 5)).isEqualTo(2);
    assertThat(t.get("/apiary", 1, 7)).isNull();
    assertThat(t.get("/ap", 1, 3)).isNull();
    assertThat(t.get("users")).isEqualTo(3);
  }

  @Test
  void collidingHashesAreToldApart() {
    // "Aa" and "BB" have the same String.hashCode.
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    SubstringKeyTable<String> t = new SubstringKeyTable<>(Map.of("Aa", "first", "BB", "second"));
    assertThat(t.get("xAa", 1, 3)).isEqualTo("first");
    assertThat(t.get("xBB", 1, 3)).isEqualTo("second");
    assertThat(t.get("xAaBB", 1, 5)).isNull();
  }

  @Test
  void manyKeys() {
    Map<String, Integer> entries = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      entries.put("seg" + i, i);
    }
    SubstringKeyTable<Integer> t = new SubstringKeyTable<>(entries);
    for (int i = 0; i < 5_000; i++) {
      String path = "/seg" + i + "/x";
      assertThat(t.get(path, 1, path.length() - 2)).isEqualTo(i);
    }
    assertThat(t.get("/seg5000", 1, 8)).isNull();
  }
}
