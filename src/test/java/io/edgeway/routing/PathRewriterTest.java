package io.edgeway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRewriterTest {

  private static String rewrite(String pattern, PathRewriter rewriter, String path) {
    PathParams params = PathParams.capture(PathPattern.parse(pattern), path);
    return rewriter.rewrite(path, params);
  }

  @ParameterizedTest
  @CsvSource({
      "/api/**, 1, /api/users/42, /users/42",
      "/api/**, 1, /api/users/, /users/",
      "/api/**, 1, /api/, /",
      "/api/**, 1, /api, /",
      "/api/v1/**, 2, /api/v1/users, /users",
      "/api/v1/**, 1, /api/v1/users, /v1/users",
      "/api/v1, 2, /api/v1, /",
      "/api/{id}, 1, /api/7, /7",
  })
  void stripPrefix(String pattern, int n, String path, String expected) {
    assertThat(rewrite(pattern, PathRewriter.stripPrefix(PathPattern.parse(pattern), n), path)).isEqualTo(expected);
  }

  @Test
  void stripPrefixZeroKeepsThePath() {
    PathRewriter keep = PathRewriter.stripPrefix(PathPattern.parse("/a/**"), 0);
    assertThat(rewrite("/a/**", keep, "/a/b/")).isEqualTo("/a/b/");
  }

  @Test
  void stripPrefixBeyondTheFixedSegmentsIsRejected() {
    assertThatThrownBy(() -> PathRewriter.stripPrefix(PathPattern.parse("/api/**"), 2))
        .isInstanceOf(InvalidRouteException.class)
        .hasMessageContaining("expected: 0 to 1");
    assertThatThrownBy(() -> PathRewriter.stripPrefix(PathPattern.parse("/api/**"), -1))
        .isInstanceOf(InvalidRouteException.class);
  }

  @ParameterizedTest
  @CsvSource({
      "/users/{id}, /v2/users/{id}, /users/42, /v2/users/42",
      "/users/{id}/orders/{orderId}, /o/{orderId}/u/{id}, /users/7/orders/9, /o/9/u/7",
      "/users/{id}, /v2/user-{id}.json, /users/42, /v2/user-42.json",
      "/api/**, /v2/{**}, /api/users/42, /v2/users/42",
      "/api/**, /v2/{**}, /api/users/, /v2/users/",
      "/api/**, /v2/{**}, /api/, /v2/",
      "/api/**, /v2/{**}, /api, /v2",
      "/api/**, /{**}, /api, /",
      "/api/**, /{**}, /api/x, /x",
      "/**, /base/{**}, /, /base/",
      "/t/{tenant}/**, /{tenant}/{**}, /t/acme/a/b, /acme/a/b",
      "/old, /new, /old, /new",
  })
  void template(String pattern, String template, String path, String expected) {
    PathRewriter rewriter = PathRewriter.template(PathPattern.parse(pattern), template);
    assertThat(rewrite(pattern, rewriter, path)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/users/{id}   | /v2/{name}      | {name} is not captured by /users/{id}",
      "/users/{id}   | /v2/{**}        | has no '**'",
      "/api/**       | /v2/{**}/x      | {**} not at the end",
      "/users/{id}   | v2/{id}         | starting with '/'",
      "/users/{id}   | /v2/{id         | '{' without '}'",
      "/users/{id}   | /v2/id}         | '}' without '{'",
      "/users/{id}   | /v2//{id}       | '//'",
      "/users/{id}   | /v2/../{id}     | dot segment",
      "/users/{id}   | /v2?x={id}      | query or fragment",
      "/users/{id}   | /v2/%2F{id}     | '%'",
  })
  void invalidTemplatesSayWhy(String pattern, String template, String reason) {
    assertThatThrownBy(() -> PathRewriter.template(PathPattern.parse(pattern), template))
        .isInstanceOf(InvalidRouteException.class)
        .hasMessageContaining(reason);
  }
}
