package io.edgeway.routing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable route table, built once per configuration; a reload builds a new one and swaps the
 * reference, so requests in flight keep the table they started with.
 *
 * <h2>Selection</h2>
 * A route is a candidate when its path pattern, host, headers and methods all match the request.
 * The winner is the first candidate in this order (every rule is a property of the routes, never
 * of the order they were configured in):
 * <ol>
 *   <li><b>Path specificity</b>, comparing the two patterns segment by segment from the left:
 *       at the first segment where they differ, a literal beats a {@code {var}}, which beats
 *       {@code **}; a pattern that ends exactly at the end of the path beats one whose {@code **}
 *       matches nothing there. So {@code /users/me} beats {@code /users/{id}}, {@code /a/b} beats
 *       {@code /a/b/**}, and {@code /api/users/**} beats {@code /api/**}.
 *   <li><b>Host specificity</b>: an exact host, then wildcards by decreasing suffix length
 *       ({@code *.eu.example.com} before {@code *.example.com}), then routes for any host.
 *   <li><b>More header constraints</b> first.
 *   <li>A route with an <b>explicit method list</b> before one accepting any method.
 * </ol>
 * Routes that could tie on all four rules are rejected at build time as conflicts, so the winner
 * is always unique.
 *
 * <p>If no route matches path, host and headers the result is {@link RouteMatch.NotFound} (404).
 * If some do but none accepts the method, it is {@link RouteMatch.MethodNotAllowed} carrying the
 * union of their methods (405 and {@code Allow}). Methods are case-sensitive. A less specific
 * route that accepts the method wins over a more specific one that does not.
 *
 * <h2>Cost</h2>
 * Matching walks a segment trie (literal children in a hash table looked up by path range, one
 * variable child, one {@code **} list per node), trying literal, then variable, then {@code **},
 * and stops at the first full match; each trie node is visited at most once. It allocates nothing
 * for routes that capture nothing, and one {@link PathParams} otherwise. No regex, no
 * {@code split}, no scan over all routes.
 */
public final class RouteTable<R> {

  private final Node<R> root;
  private final List<RouteEntry<R>> entries;

  private RouteTable(Node<R> root, List<RouteEntry<R>> entries) {
    this.root = root;
    this.entries = entries;
  }

  /** A builder for a new table. */
  public static <R> Builder<R> builder() {
    return new Builder<>();
  }

  /**
   * Selects the route for a request.
   *
   * @param method the request method, case-sensitive
   * @param host the bare lower-case host without port, or null when the request has none
   * @param canonicalPath the canonical path (starts with '/', no {@code //}, no dot segments, no
   *     query); anything else matches nothing
   * @param headers the request headers
   */
  public RouteMatch<R> match(String method, String host, String canonicalPath, HeaderLookup headers) {
    requireNonNull(method, "method");
    requireNonNull(canonicalPath, "canonicalPath");
    requireNonNull(headers, "headers");
    if (canonicalPath.isEmpty() || canonicalPath.charAt(0) != '/') {
      return notFound();
    }
    CompiledRoute<R> winner = walk(root, canonicalPath, 1, method, host, headers, null);
    if (winner != null) {
      return winner.found(canonicalPath);
    }
    // Rare path: walk again ignoring the method to tell 405 from 404.
    TreeSet<String> allowed = new TreeSet<>();
    walk(root, canonicalPath, 1, method, host, headers, allowed);
    return allowed.isEmpty()
        ? notFound()
        : new RouteMatch.MethodNotAllowed<>(Collections.unmodifiableSortedSet(allowed));
  }

  /** All routes in precedence order (the order {@link #match} would prefer them), for display. */
  public List<RouteEntry<R>> entries() {
    return entries;
  }

  /** Number of routes. */
  public int size() {
    return entries.size();
  }

  @SuppressWarnings("unchecked")
  private static <R> RouteMatch<R> notFound() {
    return (RouteMatch<R>) NOT_FOUND;
  }

  private static final RouteMatch.NotFound<Object> NOT_FOUND = new RouteMatch.NotFound<>();

  /**
   * Depth-first walk from {@code node} with the segment starting at {@code pos} (past the end of
   * the path when no segment is left). With {@code allowedSink == null} returns the first full
   * match; otherwise collects the methods of routes matching all but the method and returns null.
   */
  private static <R> CompiledRoute<R> walk(
      Node<R> node, String path, int pos, String method, String host, HeaderLookup headers,
      Set<String> allowedSink) {
    int len = path.length();
    CompiledRoute<R> found;
    if (pos > len) {
      if (node.exact != null && (found = node.exact.select(method, host, headers, allowedSink)) != null) {
        return found;
      }
      return node.wildcard == null ? null : node.wildcard.select(method, host, headers, allowedSink);
    }
    int end = path.indexOf('/', pos);
    if (end < 0) {
      end = len;
    }
    if (node.literals != null) {
      Node<R> child = node.literals.get(path, pos, end);
      if (child != null && (found = walk(child, path, end + 1, method, host, headers, allowedSink)) != null) {
        return found;
      }
    }
    if (node.variable != null && end > pos
        && (found = walk(node.variable, path, end + 1, method, host, headers, allowedSink)) != null) {
      return found;
    }
    return node.wildcard == null ? null : node.wildcard.select(method, host, headers, allowedSink);
  }

  /** A trie node: reached after matching a sequence of literal and variable segments. */
  private static final class Node<R> {
    final SubstringKeyTable<Node<R>> literals;
    final Node<R> variable;
    /** Routes whose pattern ends here. */
    final Candidates<R> exact;
    /** Routes whose pattern continues with {@code **} here. */
    final Candidates<R> wildcard;

    Node(SubstringKeyTable<Node<R>> literals, Node<R> variable, Candidates<R> exact, Candidates<R> wildcard) {
      this.literals = literals;
      this.variable = variable;
      this.exact = exact;
      this.wildcard = wildcard;
    }
  }

  /**
   * Routes sharing one path pattern (up to variable names), indexed by host and each group sorted
   * by the remaining tie-breaks, so selection never scans routes for other hosts.
   */
  private static final class Candidates<R> {
    final SubstringKeyTable<CompiledRoute<R>[]> exactHosts;
    /** Keyed by suffix with its leading dot: {@code .example.com}. */
    final SubstringKeyTable<CompiledRoute<R>[]> wildcardHosts;
    final CompiledRoute<R>[] anyHost;

    Candidates(
        SubstringKeyTable<CompiledRoute<R>[]> exactHosts,
        SubstringKeyTable<CompiledRoute<R>[]> wildcardHosts,
        CompiledRoute<R>[] anyHost) {
      this.exactHosts = exactHosts;
      this.wildcardHosts = wildcardHosts;
      this.anyHost = anyHost;
    }

    CompiledRoute<R> select(String method, String host, HeaderLookup headers, Set<String> allowedSink) {
      CompiledRoute<R> found;
      if (host != null) {
        if (exactHosts != null
            && (found = scan(exactHosts.get(host), method, headers, allowedSink)) != null) {
          return found;
        }
        if (wildcardHosts != null) {
          // Longest suffix first: the first dot after a non-empty label.
          for (int dot = host.indexOf('.', 1); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            if ((found = scan(wildcardHosts.get(host, dot, host.length()), method, headers, allowedSink)) != null) {
              return found;
            }
          }
        }
      }
      return scan(anyHost, method, headers, allowedSink);
    }

    private static <R> CompiledRoute<R> scan(
        CompiledRoute<R>[] routes, String method, HeaderLookup headers, Set<String> allowedSink) {
      if (routes == null) {
        return null;
      }
      for (CompiledRoute<R> route : routes) {
        if (route.headersMatch(headers)) {
          if (allowedSink == null) {
            if (route.acceptsMethod(method)) {
              return route;
            }
          } else {
            route.addMethodsTo(allowedSink);
          }
        }
      }
      return null;
    }
  }

  /** Tie-break among routes with the same pattern and host: more headers, then explicit methods. */
  private static final Comparator<CompiledRoute<?>> SAME_PATH_AND_HOST_ORDER =
      Comparator.<CompiledRoute<?>>comparingInt(r -> -r.headerCount())
          .thenComparing(CompiledRoute::anyMethod)
          .thenComparingInt(r -> r.entry.index());

  /** The full precedence order, used for {@link #entries()}. */
  private static final Comparator<CompiledRoute<?>> PRECEDENCE_ORDER =
      Comparator.<CompiledRoute<?>, PathPattern>comparing(r -> r.pattern, RouteTable::comparePaths)
          .thenComparingInt(r -> r.host.rank())
          .thenComparingInt(r -> r.host.value() == null ? 0 : -r.host.value().length())
          .thenComparing(r -> r.host.value() == null ? "" : r.host.value())
          .thenComparing(SAME_PATH_AND_HOST_ORDER);

  /**
   * Segment-by-segment comparison: end of pattern < literal (by text) < variable < {@code **}.
   * For two patterns that match the same path this is exactly the order the trie walk prefers.
   */
  static int comparePaths(PathPattern a, PathPattern b) {
    for (int i = 0; ; i++) {
      int ra = segmentRank(a, i);
      int rb = segmentRank(b, i);
      if (ra != rb) {
        return Integer.compare(ra, rb);
      }
      if (ra == 1) {
        int c = a.literalSegment(i).compareTo(b.literalSegment(i));
        if (c != 0) {
          return c;
        }
      } else if (ra != 2) {
        return 0;
      }
    }
  }

  private static int segmentRank(PathPattern p, int i) {
    if (i < p.fixedSegmentCount()) {
      return p.literalSegment(i) == null ? 2 : 1;
    }
    return p.endsWithWildcard() ? 3 : 0;
  }

  /**
   * Collects routes; {@link #build()} validates all of them and reports every problem at once.
   * Not thread-safe; {@link #build()} may be called more than once.
   */
  public static final class Builder<R> {
    private final List<RouteSpec<R>> specs = new ArrayList<>();

    private Builder() {}

    /** Adds a route; its index is the number of routes added before it. */
    public Builder<R> add(RouteSpec<R> spec) {
      specs.add(requireNonNull(spec, "spec"));
      return this;
    }

    /**
     * Validates the routes and builds the table.
     *
     * @throws RouteTableException listing every invalid pattern, host, header, method and rewrite,
     *     and every conflict between routes
     */
    public RouteTable<R> build() {
      List<RouteProblem> problems = new ArrayList<>();
      List<CompiledRoute<R>> routes = new ArrayList<>(specs.size());
      for (int i = 0; i < specs.size(); i++) {
        CompiledRoute<R> route = compile(i, specs.get(i), problems);
        if (route != null) {
          routes.add(route);
        }
      }
      checkConflicts(routes, problems);
      if (!problems.isEmpty()) {
        problems.sort(Comparator.comparingInt(RouteProblem::index));
        throw new RouteTableException(problems);
      }
      BuildNode<R> root = new BuildNode<>();
      for (CompiledRoute<R> route : routes) {
        root.insert(route);
      }
      List<CompiledRoute<R>> ordered = new ArrayList<>(routes);
      ordered.sort(PRECEDENCE_ORDER);
      List<RouteEntry<R>> entries = new ArrayList<>(ordered.size());
      for (CompiledRoute<R> route : ordered) {
        entries.add(route.entry);
      }
      return new RouteTable<>(root.freeze(), Collections.unmodifiableList(entries));
    }

    private static <R> CompiledRoute<R> compile(int index, RouteSpec<R> spec, List<RouteProblem> problems) {
      int before = problems.size();
      PathPattern pattern = null;
      try {
        pattern = PathPattern.parse(spec.path());
      } catch (InvalidRouteException e) {
        problems.add(problem(index, spec, "match.path", e));
      }
      HostPattern host = null;
      try {
        host = HostPattern.parse(spec.host());
      } catch (InvalidRouteException e) {
        problems.add(problem(index, spec, "match.host", e));
      }
      SortedMap<String, String> headers = checkHeaders(index, spec, problems);
      SortedSet<String> methods = checkMethods(index, spec, problems);
      PathRewriter rewriter = null;
      if (pattern != null) {
        try {
          rewriter = PathRewriter.of(pattern, spec.rewrite());
        } catch (InvalidRouteException e) {
          problems.add(problem(index, spec, "rewrite", e));
        }
      }
      if (problems.size() != before) {
        return null;
      }
      RouteEntry<R> entry = new RouteEntry<>(
          spec.id(), index, pattern, methods, host.display(), headers, rewriter, spec.payload());
      return new CompiledRoute<>(entry, host);
    }

    private static RouteProblem problem(int index, RouteSpec<?> spec, String field, InvalidRouteException e) {
      return new RouteProblem(index, spec.id(), field, e.value(), e.reason());
    }

    private static SortedMap<String, String> checkHeaders(int index, RouteSpec<?> spec, List<RouteProblem> problems) {
      TreeMap<String, String> headers = new TreeMap<>();
      for (Map.Entry<String, String> e : new TreeMap<>(spec.headers()).entrySet()) {
        String name = e.getKey();
        String value = e.getValue();
        String shown = name + ": " + value;
        String lower = name.toLowerCase(Locale.ROOT);
        String reason = null;
        if (!isToken(name)) {
          reason = "expected: a header name made of letters, digits and !#$%&'*+-.^_`|~";
        } else if (lower.equals("host")) {
          reason = "expected: match.host for the host (it ignores the port and case)";
        } else if (headers.containsKey(lower)) {
          reason = "duplicate header name (names are case-insensitive); expected: one value per header";
        } else if (!isFieldValue(value)) {
          reason = "expected: a header value of visible characters, without leading or trailing whitespace";
        }
        if (reason != null) {
          problems.add(new RouteProblem(index, spec.id(), "match.headers", shown, reason));
        } else {
          headers.put(lower, value);
        }
      }
      return Collections.unmodifiableSortedMap(headers);
    }

    private static final Set<String> STANDARD_METHODS =
        Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private static SortedSet<String> checkMethods(int index, RouteSpec<?> spec, List<RouteProblem> problems) {
      TreeSet<String> methods = new TreeSet<>();
      for (String method : new TreeSet<>(spec.methods())) {
        String upper = method.toUpperCase(Locale.ROOT);
        String reason = null;
        if (!isToken(method)) {
          reason = "expected: a method token such as GET";
        } else if (!upper.equals(method) && STANDARD_METHODS.contains(upper)) {
          // Methods are case-sensitive: "get" would silently never match a GET request.
          reason = "expected: " + upper + " (methods are case-sensitive)";
        }
        if (reason != null) {
          problems.add(new RouteProblem(index, spec.id(), "match.methods", method, reason));
        } else {
          methods.add(method);
        }
      }
      return Collections.unmodifiableSortedSet(methods);
    }

    private static boolean isToken(String s) {
      if (s.isEmpty()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    private static boolean isFieldValue(String s) {
      if (!s.isEmpty() && (s.charAt(0) == ' ' || s.charAt(0) == '\t'
          || s.charAt(s.length() - 1) == ' ' || s.charAt(s.length() - 1) == '\t')) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
          return false;
        }
      }
      return true;
    }

    /**
     * Two routes with the same pattern (up to variable names) and host conflict when a request can
     * match both and no rule orders them: same number of header constraints, compatible header
     * values, both with explicit methods that intersect or both accepting any method.
     */
    private static <R> void checkConflicts(List<CompiledRoute<R>> routes, List<RouteProblem> problems) {
      Map<String, List<CompiledRoute<R>>> groups = new LinkedHashMap<>();
      for (CompiledRoute<R> route : routes) {
        String key = route.pattern.normalized() + '\n' + route.host.kind() + '\n' + route.host.value();
        List<CompiledRoute<R>> group = groups.computeIfAbsent(key, k -> new ArrayList<>());
        for (CompiledRoute<R> earlier : group) {
          String reason = conflict(earlier, route);
          if (reason != null) {
            problems.add(new RouteProblem(
                route.entry.index(), route.entry.id(), "match", route.pattern.text(), reason));
            break;
          }
        }
        group.add(route);
      }
    }

    private static String conflict(CompiledRoute<?> a, CompiledRoute<?> b) {
      if (a.headerCount() != b.headerCount() || a.anyMethod() != b.anyMethod()) {
        return null;
      }
      TreeSet<String> shared = null;
      if (!a.anyMethod()) {
        shared = new TreeSet<>(a.entry.methods());
        shared.retainAll(b.entry.methods());
        if (shared.isEmpty()) {
          return null;
        }
      }
      for (Map.Entry<String, String> h : a.entry.headers().entrySet()) {
        String other = b.entry.headers().get(h.getKey());
        if (other != null && !other.equals(h.getValue())) {
          return null;
        }
      }
      String methods = shared == null ? "any method" : "methods " + shared;
      if (a.entry.headers().equals(b.entry.headers())) {
        return "conflicts with route '" + a.entry.id() + "': same path pattern, host, headers and " + methods
            + "; expected: routes that differ in path, host, headers or methods";
      }
      return "conflicts with route '" + a.entry.id() + "': a request carrying both routes' headers matches both with "
          + methods + " and equal precedence; expected: header constraints that exclude each other";
    }
  }

  /** Mutable trie node used only while building. */
  private static final class BuildNode<R> {
    final Map<String, BuildNode<R>> literals = new HashMap<>();
    BuildNode<R> variable;
    final List<CompiledRoute<R>> exact = new ArrayList<>();
    final List<CompiledRoute<R>> wildcard = new ArrayList<>();

    void insert(CompiledRoute<R> route) {
      BuildNode<R> node = this;
      PathPattern pattern = route.pattern;
      for (int i = 0; i < pattern.fixedSegmentCount(); i++) {
        String literal = pattern.literalSegment(i);
        if (literal == null) {
          if (node.variable == null) {
            node.variable = new BuildNode<>();
          }
          node = node.variable;
        } else {
          node = node.literals.computeIfAbsent(literal, k -> new BuildNode<>());
        }
      }
      (pattern.endsWithWildcard() ? node.wildcard : node.exact).add(route);
    }

    Node<R> freeze() {
      SubstringKeyTable<Node<R>> frozenLiterals = null;
      if (!literals.isEmpty()) {
        Map<String, Node<R>> children = new HashMap<>();
        literals.forEach((segment, child) -> children.put(segment, child.freeze()));
        frozenLiterals = new SubstringKeyTable<>(children);
      }
      return new Node<>(
          frozenLiterals,
          variable == null ? null : variable.freeze(),
          candidates(exact),
          candidates(wildcard));
    }

    private static <R> Candidates<R> candidates(List<CompiledRoute<R>> routes) {
      if (routes.isEmpty()) {
        return null;
      }
      Map<String, List<CompiledRoute<R>>> exactHosts = new HashMap<>();
      Map<String, List<CompiledRoute<R>>> wildcardHosts = new HashMap<>();
      List<CompiledRoute<R>> anyHost = new ArrayList<>();
      for (CompiledRoute<R> route : routes) {
        switch (route.host.kind()) {
          case EXACT -> exactHosts.computeIfAbsent(route.host.value(), k -> new ArrayList<>()).add(route);
          case WILDCARD -> wildcardHosts.computeIfAbsent(route.host.value(), k -> new ArrayList<>()).add(route);
          case ANY -> anyHost.add(route);
        }
      }
      return new Candidates<>(table(exactHosts), table(wildcardHosts), anyHost.isEmpty() ? null : sorted(anyHost));
    }

    private static <R> SubstringKeyTable<CompiledRoute<R>[]> table(Map<String, List<CompiledRoute<R>>> groups) {
      if (groups.isEmpty()) {
        return null;
      }
      Map<String, CompiledRoute<R>[]> sortedGroups = new HashMap<>();
      groups.forEach((host, group) -> sortedGroups.put(host, sorted(group)));
      return new SubstringKeyTable<>(sortedGroups);
    }

    @SuppressWarnings("unchecked")
    private static <R> CompiledRoute<R>[] sorted(List<CompiledRoute<R>> routes) {
      CompiledRoute<R>[] array = (CompiledRoute<R>[]) routes.toArray(new CompiledRoute<?>[0]);
      Arrays.sort(array, SAME_PATH_AND_HOST_ORDER);
      return array;
    }
  }
}
