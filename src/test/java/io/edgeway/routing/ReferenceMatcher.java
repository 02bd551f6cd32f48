package io.edgeway.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deliberately naive matcher written straight from the selection rules: test every route, then
 * sort the candidates. Slow and obviously right, to check {@link RouteTable} against.
 */
final class ReferenceMatcher {

  /** The expected outcome: a route id with params, a 405 with methods, or a 404. */
  record Outcome(String routeId, Map<String, String> params, String remainder, Set<String> allowed) {
    static Outcome of(RouteMatch<String> m) {
      if (m instanceof RouteMatch.Found<String> f) {
        return new Outcome(f.route().id(), f.params().asMap(), f.params().remainder(), Set.of());
      }
      if (m instanceof RouteMatch.MethodNotAllowed<String> n) {
        return new Outcome(null, Map.of(), null, n.allowed());
      }
      return new Outcome(null, Map.of(), null, Set.of());
    }
  }

  private record Route(RouteSpec<String> spec, int index, List<String> fixed, boolean wildcard,
      Map<String, String> headers) {}

  private final List<Route> routes = new ArrayList<>();

  ReferenceMatcher(List<RouteSpec<String>> specs) {
    for (int i = 0; i < specs.size(); i++) {
      RouteSpec<String> spec = specs.get(i);
      List<String> segments = new ArrayList<>(Arrays.asList(spec.path().substring(1).split("/", -1)));
      boolean wildcard = segments.get(segments.size() - 1).equals("**");
      if (wildcard) {
        segments.remove(segments.size() - 1);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      spec.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
      routes.add(new Route(spec, i, segments, wildcard, headers));
    }
  }

  Outcome match(String method, String host, String path, HeaderLookup lookup) {
    List<String> segments = Arrays.asList(path.substring(1).split("/", -1));
    List<Route> candidates = new ArrayList<>();
    Set<String> allowed = new TreeSet<>();
    for (Route route : routes) {
      if (pathMatches(route, segments) && hostMatches(route, host) && headersMatch(route, lookup)) {
        if (route.spec.methods().isEmpty() || route.spec.methods().contains(method)) {
          candidates.add(route);
        } else {
          allowed.addAll(route.spec.methods());
        }
      }
    }
    if (candidates.isEmpty()) {
      return new Outcome(null, Map.of(), null, allowed);
    }
    candidates.sort(PRECEDENCE);
    if (candidates.size() > 1 && PRECEDENCE.compare(candidates.get(0), candidates.get(1)) == 0) {
      throw new AssertionError("tie between " + candidates.get(0).spec + " and " + candidates.get(1).spec);
    }
    Route winner = candidates.get(0);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < winner.fixed.size(); i++) {
      String s = winner.fixed.get(i);
      if (s.startsWith("{")) {
        params.put(s.substring(1, s.length() - 1), segments.get(i));
      }
    }
    String remainder = winner.wildcard && segments.size() > winner.fixed.size()
        ? String.join("/", segments.subList(winner.fixed.size(), segments.size()))
        : null;
    return new Outcome(winner.spec.id(), params, remainder, Set.of());
  }

  private static boolean pathMatches(Route route, List<String> segments) {
    int n = route.fixed.size();
    if (route.wildcard ? segments.size() < n : segments.size() != n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      String p = route.fixed.get(i);
      boolean ok = p.startsWith("{") ? !segments.get(i).isEmpty() : p.equals(segments.get(i));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean hostMatches(Route route, String host) {
    String h = route.spec.host();
    if (h == null) {
      return true;
    }
    if (host == null) {
      return false;
    }
    h = h.toLowerCase(Locale.ROOT);
    if (h.startsWith("*.")) {
      String suffix = h.substring(1);
      return host.endsWith(suffix) && host.length() > suffix.length();
    }
    return h.equals(host);
  }

  private static boolean headersMatch(Route route, HeaderLookup lookup) {
    return route.headers.entrySet().stream().allMatch(e -> e.getValue().equals(lookup.get(e.getKey())));
  }

  /** Kinds per position: -1 pattern ends, 0 literal, 1 variable, 2 {@code **}. */
  private static int[] shape(Route r) {
    int[] shape = new int[r.fixed.size() + 1];
    for (int i = 0; i < r.fixed.size(); i++) {
      shape[i] = r.fixed.get(i).startsWith("{") ? 1 : 0;
    }
    shape[r.fixed.size()] = r.wildcard ? 2 : -1;
    return shape;
  }

  private static int hostRank(Route r) {
    String h = r.spec.host();
    return h == null ? 2 : h.startsWith("*.") ? 1 : 0;
  }

  /** Valid only among routes that all match one request. */
  private static final Comparator<Route> PRECEDENCE = Comparator
      .<Route, int[]>comparing(ReferenceMatcher::shape, Arrays::compare)
      .thenComparingInt(ReferenceMatcher::hostRank)
      .thenComparingInt(r -> r.spec.host() == null ? 0 : -r.spec.host().length())
      .thenComparingInt(r -> -r.headers.size())
      .thenComparing(r -> r.spec.methods().isEmpty());
}
