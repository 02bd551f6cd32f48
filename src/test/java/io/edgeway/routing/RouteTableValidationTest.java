package io.edgeway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableValidationTest {

  private static List<RouteProblem> problems(RouteSpec<?>... routes) {
    RouteTable.Builder<Object> b = RouteTable.builder();
    for (RouteSpec<?> r : routes) {
      @SuppressWarnings("unchecked")
      RouteSpec<Object> spec = (RouteSpec<Object>) r;
      b.add(spec);
    }
    RouteTableException e = catchThrowableOfType(RouteTableException.class, b::build);
    assertThat(e).as("build must fail").isNotNull();
    return e.problems();
  }

  private static RouteSpec<String> spec(String id, String path, Set<String> methods, String host, Map<String, String> headers) {
    return new RouteSpec<>(id, path, methods, host, headers, id);
  }

  @Test
  void reportsEveryProblemAtOnceWithIndexAndField() {
    List<RouteProblem> problems = problems(
        RouteSpec.of("ok", "/ok", "ok"),
        RouteSpec.of("bad-path", "/a/{", "x"),
        spec("bad-host", "/h", Set.of(), "api.example.com:8080", Map.of()),
        spec("bad-header", "/hd", Set.of(), null, Map.of("X Bad", "1")),
        spec("bad-method", "/m", Set.of("get"), null, Map.of()),
        new RouteSpec<>("bad-rewrite", "/u/{id}", Set.of(), null, Map.of(), new RewriteRule.Template("/v/{name}"), "x"),
        spec("two-problems", "a", Set.of("G E T"), "*", Map.of()));
    assertThat(problems).extracting(RouteProblem::index, RouteProblem::routeId, RouteProblem::field)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "bad-path", "match.path"),
            org.assertj.core.groups.Tuple.tuple(2, "bad-host", "match.host"),
            org.assertj.core.groups.Tuple.tuple(3, "bad-header", "match.headers"),
            org.assertj.core.groups.Tuple.tuple(4, "bad-method", "match.methods"),
            org.assertj.core.groups.Tuple.tuple(5, "bad-rewrite", "rewrite"),
            org.assertj.core.groups.Tuple.tuple(6, "two-problems", "match.path"),
            org.assertj.core.groups.Tuple.tuple(6, "two-problems", "match.host"),
            org.assertj.core.groups.Tuple.tuple(6, "two-problems", "match.methods"));
    assertThat(problems.get(0).value()).isEqualTo("/a/{");
    assertThat(problems.get(0).describe()).isEqualTo("routes[1].match.path: /a/{ ('{' without '}'; expected: {name} as a whole segment)");
    assertThat(problems.get(1).message()).contains("port");
    assertThat(problems.get(3).message()).isEqualTo("expected: GET (methods are case-sensitive)");
    assertThat(problems.get(4).message()).contains("{name} is not captured by /u/{id}");
  }

  @Test
  void exceptionMessageListsAllProblems() {
    RouteTableException e = catchThrowableOfType(RouteTableException.class,
        () -> RouteTable.<String>builder().add(RouteSpec.of("a", "x", "a")).add(RouteSpec.of("b", "/y//z", "b")).build());
    assertThat(e.getMessage()).contains("2 route problem(s)", "routes[0].match.path: x", "routes[1].match.path: /y//z");
  }

  @Test
  void samePatternHostHeadersAndMethodsConflictAtTheLaterRoute() {
    List<RouteProblem> problems = problems(
        RouteSpec.of("first", "/u/{a}", "x"),
        RouteSpec.of("other", "/v", "x"),
        RouteSpec.of("second", "/u/{b}", "x"));
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.index()).isEqualTo(2);
      assertThat(p.routeId()).isEqualTo("second");
      assertThat(p.field()).isEqualTo("match");
      assertThat(p.value()).isEqualTo("/u/{b}");
      assertThat(p.message()).startsWith("conflicts with route 'first'");
    });
  }

  @Test
  void overlappingExplicitMethodsConflict() {
    List<RouteProblem> problems = problems(
        spec("a", "/x", Set.of("GET", "POST"), null, Map.of()),
        spec("b", "/x", Set.of("POST", "PUT"), null, Map.of()));
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("'a'", "methods [POST]"));
  }

  @Test
  void headerSetsThatCanBothMatchWithEqualCountConflict() {
    List<RouteProblem> problems = problems(
        spec("a", "/x", Set.of(), null, Map.of("x-a", "1")),
        spec("b", "/x", Set.of(), null, Map.of("x-b", "1")));
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("'a'", "both routes' headers"));
  }

  @Test
  void headerNamesDifferingOnlyInCaseConflict() {
    List<RouteProblem> problems = problems(
        spec("a", "/x", Set.of(), null, Map.of("X-A", "1")),
        spec("b", "/x", Set.of(), null, Map.of("x-a", "1")));
    assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("same path pattern, host, headers"));
  }

  @Test
  void routesThatAreOrderedOrDisjointDoNotConflict() {
    RouteTable<String> t = RouteTable.<String>builder()
        .add(spec("get", "/x", Set.of("GET"), null, Map.of()))
        .add(spec("post", "/x", Set.of("POST"), null, Map.of()))
        .add(spec("any", "/x", Set.of(), null, Map.of()))
        .add(spec("one-header", "/x", Set.of(), null, Map.of("x-a", "1")))
        .add(spec("exclusive-header", "/x", Set.of(), null, Map.of("x-a", "2")))
        .add(spec("host", "/x", Set.of(), "a.example.com", Map.of()))
        .add(spec("wild", "/x", Set.of(), "*.example.com", Map.of()))
        .add(spec("trailing", "/x/", Set.of(), null, Map.of()))
        .add(spec("prefix", "/x/**", Set.of(), null, Map.of()))
        .build();
    assertThat(t.size()).isEqualTo(9);
  }

  @Test
  void invalidHeaderConstraints() {
    List<RouteProblem> problems = problems(
        spec("host-header", "/a", Set.of(), null, Map.of("Host", "x")),
        spec("dup", "/b", Set.of(), null, Map.of("X-A", "1", "x-a", "2")),
        spec("ws", "/c", Set.of(), null, Map.of("X-A", " 1")),
        spec("crlf", "/d", Set.of(), null, Map.of("X-A", "1\r\nX-B: 2")));
    assertThat(problems).extracting(RouteProblem::routeId).containsExactly("host-header", "dup", "ws", "crlf");
    assertThat(problems).allSatisfy(p -> assertThat(p.field()).isEqualTo("match.headers"));
    assertThat(problems.get(0).message()).contains("match.host");
    assertThat(problems.get(1).message()).contains("duplicate header name");
  }

  @Test
  void invalidHosts() {
    List<RouteProblem> problems = problems(
        spec("star-middle", "/a", Set.of(), "api.*.com", Map.of()),
        spec("star-only", "/b", Set.of(), "*", Map.of()),
        spec("empty", "/c", Set.of(), "", Map.of()),
        spec("empty-label", "/d", Set.of(), "a..com", Map.of()),
        spec("bad-char", "/e", Set.of(), "a/b.com", Map.of()),
        spec("bad-v6", "/f", Set.of(), "[::g]", Map.of()));
    assertThat(problems).extracting(RouteProblem::routeId)
        .containsExactly("star-middle", "star-only", "empty", "empty-label", "bad-char", "bad-v6");
    assertThat(problems).allSatisfy(p -> assertThat(p.field()).isEqualTo("match.host"));
  }

  @Test
  void validHostForms() {
    RouteTable<String> t = RouteTable.<String>builder()
        .add(spec("v6", "/a", Set.of(), "[::1]", Map.of()))
        .add(spec("v4", "/a", Set.of(), "127.0.0.1", Map.of()))
        .add(spec("short-wild", "/a", Set.of(), "*.com", Map.of()))
        .build();
    assertThat(t.match("GET", "[::1]", "/a", HeaderLookup.NONE)).isInstanceOf(RouteMatch.Found.class);
  }

  @Test
  void stripPrefixBeyondPatternIsAProblem() {
    List<RouteProblem> problems = problems(
        new RouteSpec<>("s", "/api/**", Set.of(), null, Map.of(), new RewriteRule.StripPrefix(3), "x"));
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("rewrite");
      assertThat(p.message()).contains("expected: 0 to 1");
    });
  }
}
