package io.edgeway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** 10,000 routes checked against the brute-force {@link ReferenceMatcher}; no timing. */
class LargeRouteTableTest {

  @Test
  void tenThousandRoutesAgreeWithTheReferenceMatcher() {
    List<RouteSpec<String>> routes = SyntheticRoutes.routes(10_000, 42);
    Map<PathPattern.Kind, Long> kinds = routes.stream()
        .collect(Collectors.groupingBy(r -> PathPattern.parse(r.path()).kind(), Collectors.counting()));
    assertThat(kinds).containsEntry(PathPattern.Kind.EXACT, 4_000L);
    assertThat(kinds.get(PathPattern.Kind.TEMPLATE) + kinds.get(PathPattern.Kind.PREFIX)).isEqualTo(6_000L);
    assertThat(routes.stream().map(RouteSpec::host).distinct().count()).isGreaterThan(20);

    RouteTable<String> table = SyntheticRoutes.table(routes);
    assertThat(table.size()).isEqualTo(10_000);
    ReferenceMatcher reference = new ReferenceMatcher(routes);

    int found = 0;
    int notAllowed = 0;
    int notFound = 0;
    int withParams = 0;
    for (SyntheticRoutes.Request r : SyntheticRoutes.requests(routes, 4_000, 7)) {
      ReferenceMatcher.Outcome expected = reference.match(r.method(), r.host(), r.path(), r.headerLookup());
      ReferenceMatcher.Outcome actual =
          ReferenceMatcher.Outcome.of(table.match(r.method(), r.host(), r.path(), r.headerLookup()));
      assertThat(actual).as("%s", r).isEqualTo(expected);
      if (expected.routeId() != null) {
        found++;
        withParams += expected.params().isEmpty() && expected.remainder() == null ? 0 : 1;
      } else if (!expected.allowed().isEmpty()) {
        notAllowed++;
      } else {
        notFound++;
      }
    }
    // The sample must exercise every outcome, or the comparison proves little.
    assertThat(found).isGreaterThan(1_000);
    assertThat(withParams).isGreaterThan(300);
    assertThat(notAllowed).isGreaterThan(20);
    assertThat(notFound).isGreaterThan(200);
  }

  @Test
  void smallTableAgreesWithTheReferenceMatcher() {
    List<RouteSpec<String>> routes = SyntheticRoutes.routes(10, 1);
    RouteTable<String> table = SyntheticRoutes.table(routes);
    ReferenceMatcher reference = new ReferenceMatcher(routes);
    for (SyntheticRoutes.Request r : SyntheticRoutes.requests(routes, 500, 3)) {
      assertThat(ReferenceMatcher.Outcome.of(table.match(r.method(), r.host(), r.path(), r.headerLookup())))
          .as("%s", r)
          .isEqualTo(reference.match(r.method(), r.host(), r.path(), r.headerLookup()));
    }
  }
}
