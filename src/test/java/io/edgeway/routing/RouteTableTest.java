package io.edgeway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

  private static RouteSpec<String> route(String id, String path) {
    return RouteSpec.of(id, path, id);
  }

  private static RouteSpec<String> route(String id, String path, Set<String> methods) {
    return new RouteSpec<>(id, path, methods, null, Map.of(), id);
  }

  private static RouteSpec<String> hostRoute(String id, String path, String host) {
    return new RouteSpec<>(id, path, Set.of(), host, Map.of(), id);
  }

  private static RouteSpec<String> headerRoute(String id, String path, Map<String, String> headers) {
    return new RouteSpec<>(id, path, Set.of(), null, headers, id);
  }

  @SafeVarargs
  private static RouteTable<String> table(RouteSpec<String>... routes) {
    RouteTable.Builder<String> b = RouteTable.builder();
    for (RouteSpec<String> r : routes) {
      b.add(r);
    }
    return b.build();
  }

  /** The id of the winning route, "404", or "405 [allowed]". */
  private static String outcome(RouteTable<String> table, String method, String host, String path, HeaderLookup headers) {
    RouteMatch<String> m = table.match(method, host, path, headers);
    if (m instanceof RouteMatch.Found<String> f) {
      return f.route().payload();
    }
    if (m instanceof RouteMatch.MethodNotAllowed<String> n) {
      return "405 " + n.allowed();
    }
    return "404";
  }

  private static String outcome(RouteTable<String> table, String path) {
    return outcome(table, "GET", "example.com", path, HeaderLookup.NONE);
  }

  private static PathParams params(RouteTable<String> table, String path) {
    return ((RouteMatch.Found<String>) table.match("GET", null, path, HeaderLookup.NONE)).params();
  }

  @Test
  void exactMatchesOnlyItsOwnPath() {
    RouteTable<String> t = table(route("ab", "/a/b"));
    assertThat(outcome(t, "/a/b")).isEqualTo("ab");
    assertThat(outcome(t, "/a/b/")).isEqualTo("404");
    assertThat(outcome(t, "/a")).isEqualTo("404");
    assertThat(outcome(t, "/a/b/c")).isEqualTo("404");
    assertThat(outcome(t, "/A/b")).as("case-sensitive (B8)").isEqualTo("404");
  }

  @Test
  void trailingSlashIsADifferentPath() {
    RouteTable<String> t = table(route("no-slash", "/admin"), route("slash", "/admin/"));
    assertThat(outcome(t, "/admin")).isEqualTo("no-slash");
    assertThat(outcome(t, "/admin/")).isEqualTo("slash");
  }

  @Test
  void rootRoute() {
    RouteTable<String> t = table(route("root", "/"));
    assertThat(outcome(t, "/")).isEqualTo("root");
    assertThat(outcome(t, "/x")).isEqualTo("404");
  }

  @Test
  void prefixMatchesItselfTheSlashAndEverythingBelow() {
    RouteTable<String> t = table(route("api", "/api/**"));
    assertThat(outcome(t, "/api")).isEqualTo("api");
    assertThat(outcome(t, "/api/")).isEqualTo("api");
    assertThat(outcome(t, "/api/users")).isEqualTo("api");
    assertThat(outcome(t, "/api/users/42/orders/")).isEqualTo("api");
    assertThat(outcome(t, "/")).isEqualTo("404");
  }

  @ParameterizedTest
  @CsvSource({"/apiary", "/api-v2", "/ap", "/apix/users", "/x/api"})
  void prefixesAreSegmentAligned_B12(String path) {
    RouteTable<String> t = table(route("api", "/api/**"));
    assertThat(outcome(t, path)).isEqualTo("404");
  }

  @Test
  void catchAllMatchesEverything() {
    RouteTable<String> t = table(route("all", "/**"));
    assertThat(outcome(t, "/")).isEqualTo("all");
    assertThat(outcome(t, "/a")).isEqualTo("all");
    assertThat(outcome(t, "/a/b/")).isEqualTo("all");
    assertThat(params(t, "/a/b/").remainder()).isEqualTo("a/b/");
    assertThat(params(t, "/").remainder()).isEmpty();
  }

  @Test
  void templateVariablesMatchOneNonEmptySegment() {
    RouteTable<String> t = table(route("user", "/users/{id}"), route("order", "/users/{id}/orders/{orderId}"));
    assertThat(outcome(t, "/users/42")).isEqualTo("user");
    assertThat(outcome(t, "/users/")).as("empty segment").isEqualTo("404");
    assertThat(outcome(t, "/users")).isEqualTo("404");
    assertThat(outcome(t, "/users/42/")).isEqualTo("404");
    assertThat(outcome(t, "/users/42/orders/9")).isEqualTo("order");
    assertThat(params(t, "/users/42/orders/9").asMap()).containsExactly(Map.entry("id", "42"), Map.entry("orderId", "9"));
    assertThat(params(t, "/users/42/orders/9").get("orderId")).isEqualTo("9");
    assertThat(params(t, "/users/42").get("missing")).isNull();
    assertThat(params(t, "/users/42").remainder()).isNull();
  }

  @Test
  void templateEndingInWildcard() {
    RouteTable<String> t = table(route("files", "/t/{tenant}/files/**"));
    PathParams p = params(t, "/t/acme/files/a/b.txt");
    assertThat(p.asMap()).containsExactly(Map.entry("tenant", "acme"));
    assertThat(p.remainder()).isEqualTo("a/b.txt");
    assertThat(params(t, "/t/acme/files").remainder()).isNull();
    assertThat(params(t, "/t/acme/files/").remainder()).isEmpty();
    assertThat(outcome(t, "/t/acme/filesx")).isEqualTo("404");
  }

  @Test
  void routesCapturingNothingShareOneResult() {
    RouteTable<String> t = table(route("ab", "/a/b"));
    assertThat(t.match("GET", null, "/a/b", HeaderLookup.NONE)).isSameAs(t.match("GET", null, "/a/b", HeaderLookup.NONE));
    assertThat(params(t, "/a/b")).isSameAs(PathParams.NONE);
  }

  // --- precedence, one test per rule ---

  @Test
  void literalBeatsVariable() {
    RouteTable<String> t = table(route("id", "/users/{id}"), route("me", "/users/me"));
    assertThat(outcome(t, "/users/me")).isEqualTo("me");
    assertThat(outcome(t, "/users/you")).isEqualTo("id");
  }

  @Test
  void variableBeatsWildcard() {
    RouteTable<String> t = table(route("all", "/users/**"), route("id", "/users/{id}"));
    assertThat(outcome(t, "/users/42")).isEqualTo("id");
    assertThat(outcome(t, "/users/42/x")).isEqualTo("all");
    assertThat(outcome(t, "/users")).isEqualTo("all");
  }

  @Test
  void exactBeatsPrefixOnTheSamePath() {
    RouteTable<String> t = table(route("prefix", "/a/b/**"), route("exact", "/a/b"));
    assertThat(outcome(t, "/a/b")).isEqualTo("exact");
    assertThat(outcome(t, "/a/b/")).isEqualTo("prefix");
  }

  @Test
  void longerLiteralPrefixBeatsShorter() {
    RouteTable<String> t = table(route("api", "/api/**"), route("users", "/api/users/**"), route("all", "/**"));
    assertThat(outcome(t, "/api/users/42")).isEqualTo("users");
    assertThat(outcome(t, "/api/users")).isEqualTo("users");
    assertThat(outcome(t, "/api/orders")).isEqualTo("api");
    assertThat(outcome(t, "/other")).isEqualTo("all");
  }

  @Test
  void segmentsAreComparedFromTheLeft() {
    // At segment 2, the literal "b" beats {x}, even though the other pattern is longer.
    RouteTable<String> t = table(route("var-then-literal", "/a/{x}/c"), route("literal-then-wildcard", "/a/b/**"));
    assertThat(outcome(t, "/a/b/c")).isEqualTo("literal-then-wildcard");
    assertThat(outcome(t, "/a/z/c")).isEqualTo("var-then-literal");
  }

  @Test
  void backtracksWhenTheMoreSpecificBranchHasNoRoute() {
    RouteTable<String> t = table(route("deep", "/a/b/c/d"), route("var", "/a/{x}/c/e"), route("tail", "/a/**"));
    assertThat(outcome(t, "/a/b/c/e")).isEqualTo("var");
    assertThat(outcome(t, "/a/b/c/f")).isEqualTo("tail");
  }

  @Test
  void exactHostBeatsWildcardBeatsAnyHost() {
    RouteTable<String> t = table(
        hostRoute("any", "/x", null),
        hostRoute("wild", "/x", "*.example.com"),
        hostRoute("wild-longer", "/x", "*.eu.example.com"),
        hostRoute("exact", "/x", "api.eu.example.com"));
    assertThat(outcome(t, "GET", "api.eu.example.com", "/x", HeaderLookup.NONE)).isEqualTo("exact");
    assertThat(outcome(t, "GET", "web.eu.example.com", "/x", HeaderLookup.NONE)).isEqualTo("wild-longer");
    assertThat(outcome(t, "GET", "web.us.example.com", "/x", HeaderLookup.NONE)).isEqualTo("wild");
    assertThat(outcome(t, "GET", "example.com", "/x", HeaderLookup.NONE)).isEqualTo("any");
    assertThat(outcome(t, "GET", null, "/x", HeaderLookup.NONE)).isEqualTo("any");
  }

  @Test
  void pathSpecificityComesBeforeHost() {
    RouteTable<String> t = table(hostRoute("host-prefix", "/api/**", "api.example.com"), route("any-exact", "/api/users"));
    assertThat(outcome(t, "GET", "api.example.com", "/api/users", HeaderLookup.NONE)).isEqualTo("any-exact");
    assertThat(outcome(t, "GET", "api.example.com", "/api/orders", HeaderLookup.NONE)).isEqualTo("host-prefix");
  }

  @Test
  void wildcardHostNeedsAtLeastOneMoreLabel() {
    RouteTable<String> t = table(hostRoute("wild", "/x", "*.example.com"));
    assertThat(outcome(t, "GET", "a.example.com", "/x", HeaderLookup.NONE)).isEqualTo("wild");
    assertThat(outcome(t, "GET", "a.b.example.com", "/x", HeaderLookup.NONE)).isEqualTo("wild");
    assertThat(outcome(t, "GET", "example.com", "/x", HeaderLookup.NONE)).isEqualTo("404");
    assertThat(outcome(t, "GET", "badexample.com", "/x", HeaderLookup.NONE)).isEqualTo("404");
    assertThat(outcome(t, "GET", null, "/x", HeaderLookup.NONE)).isEqualTo("404");
  }

  @Test
  void configuredHostsAreCaseInsensitive() {
    RouteTable<String> t = table(hostRoute("exact", "/x", "API.Example.COM"), hostRoute("wild", "/y", "*.EXAMPLE.com"));
    assertThat(outcome(t, "GET", "api.example.com", "/x", HeaderLookup.NONE)).isEqualTo("exact");
    assertThat(outcome(t, "GET", "a.example.com", "/y", HeaderLookup.NONE)).isEqualTo("wild");
    assertThat(t.entries()).extracting(RouteEntry::host).containsExactlyInAnyOrder("api.example.com", "*.example.com");
  }

  @Test
  void moreHeaderConstraintsFirst() {
    RouteTable<String> t = table(
        headerRoute("none", "/x", Map.of()),
        headerRoute("one", "/x", Map.of("X-Env", "canary")),
        headerRoute("two", "/x", Map.of("X-Env", "canary", "X-Tier", "gold")));
    assertThat(outcome(t, "GET", null, "/x", Map.of("x-env", "canary", "x-tier", "gold")::get)).isEqualTo("two");
    assertThat(outcome(t, "GET", null, "/x", Map.of("x-env", "canary", "x-tier", "silver")::get)).isEqualTo("one");
    assertThat(outcome(t, "GET", null, "/x", Map.of("x-env", "Canary")::get)).as("values are exact").isEqualTo("none");
    assertThat(outcome(t, "GET", null, "/x", HeaderLookup.NONE)).isEqualTo("none");
  }

  @Test
  void headerNamesAreLookedUpInLowerCase() {
    RouteTable<String> t = table(headerRoute("h", "/x", Map.of("X-API-Version", "2")));
    assertThat(outcome(t, "GET", null, "/x", Map.of("x-api-version", "2")::get)).isEqualTo("h");
    assertThat(t.entries().get(0).headers()).containsExactly(Map.entry("x-api-version", "2"));
  }

  @Test
  void hostComesBeforeHeaders() {
    RouteTable<String> t = table(
        new RouteSpec<>("any-host-with-header", "/x", Set.of(), null, Map.of("x-a", "1"), "any-host-with-header"),
        hostRoute("host", "/x", "api.example.com"));
    assertThat(outcome(t, "GET", "api.example.com", "/x", Map.of("x-a", "1")::get)).isEqualTo("host");
  }

  @Test
  void explicitMethodsBeforeAnyMethod() {
    RouteTable<String> t = table(route("any", "/x"), route("get", "/x", Set.of("GET")));
    assertThat(outcome(t, "GET", null, "/x", HeaderLookup.NONE)).isEqualTo("get");
    assertThat(outcome(t, "POST", null, "/x", HeaderLookup.NONE)).isEqualTo("any");
  }

  @Test
  void lessSpecificRouteAcceptingTheMethodWins() {
    RouteTable<String> t = table(route("me-get", "/users/me", Set.of("GET")), route("id", "/users/{id}"));
    assertThat(outcome(t, "DELETE", null, "/users/me", HeaderLookup.NONE)).isEqualTo("id");
  }

  @Test
  void methodNotAllowedListsTheUnionOfMethodsSorted() {
    RouteTable<String> t = table(
        route("read", "/items/{id}", Set.of("GET", "HEAD")),
        route("write", "/items/{id}", Set.of("PUT", "DELETE")),
        route("other", "/other", Set.of("PATCH")));
    RouteMatch<String> m = t.match("POST", null, "/items/1", HeaderLookup.NONE);
    assertThat(m).isInstanceOf(RouteMatch.MethodNotAllowed.class);
    RouteMatch.MethodNotAllowed<String> n = (RouteMatch.MethodNotAllowed<String>) m;
    assertThat(n.allowed()).containsExactly("DELETE", "GET", "HEAD", "PUT");
    assertThat(n.allowHeader()).isEqualTo("DELETE, GET, HEAD, PUT");
    assertThat(outcome(t, "PUT", null, "/items/1", HeaderLookup.NONE)).isEqualTo("write");
    assertThat(outcome(t, "POST", null, "/nothing", HeaderLookup.NONE)).isEqualTo("404");
  }

  @Test
  void methodNotAllowedOnlyCountsRoutesMatchingHostAndHeaders() {
    RouteTable<String> t = table(
        new RouteSpec<>("h", "/x", Set.of("GET"), "a.example.com", Map.of(), "h"),
        new RouteSpec<>("hd", "/x", Set.of("PUT"), null, Map.of("x-a", "1"), "hd"),
        new RouteSpec<>("wide", "/**", Set.of("PATCH"), null, Map.of(), "wide"));
    assertThat(outcome(t, "POST", "b.example.com", "/x", HeaderLookup.NONE)).isEqualTo("405 [PATCH]");
    assertThat(outcome(t, "POST", "a.example.com", "/x", Map.of("x-a", "1")::get)).isEqualTo("405 [GET, PATCH, PUT]");
  }

  @Test
  void methodsAreCaseSensitive() {
    RouteTable<String> t = table(route("get", "/x", Set.of("GET")));
    assertThat(outcome(t, "get", null, "/x", HeaderLookup.NONE)).isEqualTo("405 [GET]");
  }

  @Test
  void nonCanonicalInputMatchesNothing() {
    RouteTable<String> t = table(route("all", "/**"));
    assertThat(outcome(t, "")).isEqualTo("404");
    assertThat(outcome(t, "*")).isEqualTo("404");
  }

  @Test
  void emptyTableFindsNothing() {
    RouteTable<String> t = RouteTable.<String>builder().build();
    assertThat(outcome(t, "/")).isEqualTo("404");
    assertThat(t.entries()).isEmpty();
  }

  @Test
  void entriesAreInPrecedenceOrder() {
    RouteTable<String> t = table(
        route("all", "/**"),
        route("api", "/api/**"),
        route("id", "/api/users/{id}"),
        route("me", "/api/users/me"),
        hostRoute("me-host", "/api/users/me", "a.example.com"),
        route("me-get", "/api/users/me", Set.of("GET")));
    assertThat(t.entries()).extracting(RouteEntry::id)
        .containsExactly("me-host", "me-get", "me", "id", "api", "all");
    assertThat(t.entries()).extracting(RouteEntry::index).containsExactly(4, 5, 3, 2, 1, 0);
    assertThat(t.size()).isEqualTo(6);
  }

  @Test
  void entriesAreImmutable() {
    RouteTable<String> t = table(route("a", "/a", Set.of("GET")));
    assertThatThrownBy(() -> t.entries().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> t.entries().get(0).methods().add("PUT")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void foundCarriesTheUpstreamPath() {
    RouteTable<String> t = table(
        new RouteSpec<>("v2", "/api/users/{id}", Set.of(), null, Map.of(), new RewriteRule.Template("/v2/users/{id}"), "v2"),
        new RouteSpec<>("strip", "/api/**", Set.of(), null, Map.of(), new RewriteRule.StripPrefix(1), "strip"));
    RouteMatch.Found<String> f = (RouteMatch.Found<String>) t.match("GET", null, "/api/users/42", HeaderLookup.NONE);
    assertThat(f.upstreamPath("/api/users/42")).isEqualTo("/v2/users/42");
    RouteMatch.Found<String> g = (RouteMatch.Found<String>) t.match("GET", null, "/api/orders/", HeaderLookup.NONE);
    assertThat(g.upstreamPath("/api/orders/")).isEqualTo("/orders/");
  }
}
