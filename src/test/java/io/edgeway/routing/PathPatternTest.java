package io.edgeway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

  @Test
  void exactPattern() {
    PathPattern p = PathPattern.parse("/a/b");
    assertThat(p.kind()).isEqualTo(PathPattern.Kind.EXACT);
    assertThat(p.fixedSegmentCount()).isEqualTo(2);
    assertThat(p.endsWithWildcard()).isFalse();
    assertThat(p.normalized()).isEqualTo("/a/b");
  }

  @Test
  void rootAndTrailingSlashAreEmptyLastSegments() {
    assertThat(PathPattern.parse("/").fixedSegmentCount()).isEqualTo(1);
    assertThat(PathPattern.parse("/").literalSegment(0)).isEmpty();
    PathPattern trailing = PathPattern.parse("/a/");
    assertThat(trailing.fixedSegmentCount()).isEqualTo(2);
    assertThat(trailing.normalized()).isEqualTo("/a/").isNotEqualTo(PathPattern.parse("/a").normalized());
  }

  @Test
  void prefixPatterns() {
    PathPattern p = PathPattern.parse("/api/**");
    assertThat(p.kind()).isEqualTo(PathPattern.Kind.PREFIX);
    assertThat(p.fixedSegmentCount()).isEqualTo(1);
    assertThat(p.endsWithWildcard()).isTrue();
    PathPattern all = PathPattern.parse("/**");
    assertThat(all.fixedSegmentCount()).isZero();
    assertThat(all.normalized()).isEqualTo("/**");
  }

  @Test
  void templatePatternsNormalizeVariableNames() {
    PathPattern p = PathPattern.parse("/users/{id}/orders/{orderId}");
    assertThat(p.kind()).isEqualTo(PathPattern.Kind.TEMPLATE);
    assertThat(p.variableNames()).containsExactly("id", "orderId");
    assertThat(p.literalSegment(1)).isNull();
    assertThat(p.normalized()).isEqualTo("/users/{}/orders/{}");
    assertThat(PathPattern.parse("/u/{a}").normalized()).isEqualTo(PathPattern.parse("/u/{b}").normalized());
    PathPattern withTail = PathPattern.parse("/users/{id}/**");
    assertThat(withTail.kind()).isEqualTo(PathPattern.Kind.TEMPLATE);
    assertThat(withTail.endsWithWildcard()).isTrue();
    assertThat(withTail.normalized()).isEqualTo("/users/{}/**");
  }

  @Test
  void literalsMayUseSubDelimiters() {
    assertThat(PathPattern.parse("/a-b.c_d~e/f:g@h/x=y,z+w/$!'()&").kind()).isEqualTo(PathPattern.Kind.EXACT);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a/b            | starting with '/'",
      "''             | starting with '/'",
      "/a//b          | '//'",
      "//a            | '//'",
      "/a/{}          | invalid variable {}",
      "/a/{b          | '{' without '}'",
      "/a/{1x}        | invalid variable {1x}",
      "/a/{b-c}       | invalid variable {b-c}",
      "/a/{id}/{id}   | duplicate variable {id}",
      "/a/{id}.json   | whole segment",
      "/a/x{id}       | whole segment",
      "/a/b}          | whole segment",
      "/**/a          | '**' must be the last segment",
      "/a/**/         | '**' must be the last segment",
      "/a**           | '*'",
      "/a/*           | '*'",
      "/a/*/b         | '*'",
      "/a?b           | query or fragment",
      "/a#b           | query or fragment",
      "/a%2Fb         | '%'",
      "/a;jsessionid  | matrix",
      "/a\\b          | '\\'",
      "/a/./b         | dot segment '.'",
      "/a/../b        | dot segment '..'",
      "/a/..          | dot segment '..'",
      "/a/ b          | whitespace",
      "/a/b\"         | character '\"'",
      "/caf\u00e9     | non-ASCII",
  })
  void invalidPatternsSayWhy(String pattern, String reason) {
    assertThatThrownBy(() -> PathPattern.parse(pattern))
        .isInstanceOf(InvalidRouteException.class)
        .satisfies(e -> {
          InvalidRouteException ire = (InvalidRouteException) e;
          assertThat(ire.value()).isEqualTo(pattern);
          assertThat(ire.reason()).contains(reason).contains("expected:");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a\tb", "/a\nb", "/a\u0000b", "/a\u007fb"})
  void controlCharactersAreRejected(String pattern) {
    assertThatThrownBy(() -> PathPattern.parse(pattern)).hasMessageContaining("control character");
  }
}
