package io.edgeway.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Values captured from a request path by the matched route's pattern: one per {@code {name}}
 * variable, plus the remainder matched by a trailing {@code **}.
 *
 * <p>Holds the request path and the captured offsets; a value is cut out only when asked for, so
 * a match allocates no strings for values nobody reads. Values are segments of the canonical
 * path, hence canonical themselves.
 */
public final class PathParams {
  private static final String[] NO_NAMES = new String[0];
  private static final int[] NO_BOUNDS = new int[0];

  /** No variables and no remainder: routes whose pattern captures nothing share this instance. */
  public static final PathParams NONE = new PathParams("", NO_NAMES, NO_BOUNDS, -1);

  private final String path;
  private final String[] names;
  private final int[] bounds;
  private final int remainderStart;

  PathParams(String path, String[] names, int[] bounds, int remainderStart) {
    this.path = path;
    this.names = names;
    this.bounds = bounds;
    this.remainderStart = remainderStart;
  }

  /** Captures the parameters of {@code pattern} from {@code path}, which the pattern matched. */
  static PathParams capture(PathPattern pattern, String path) {
    int[] varSegments = pattern.variableSegmentArray();
    int fixed = pattern.fixedSegmentCount();
    int[] bounds = varSegments.length == 0 ? NO_BOUNDS : new int[varSegments.length * 2];
    int len = path.length();
    int pos = 1;
    int v = 0;
    for (int segment = 0; segment < fixed; segment++) {
      int end = path.indexOf('/', pos);
      if (end < 0) {
        end = len;
      }
      if (v < varSegments.length && varSegments[v] == segment) {
        bounds[2 * v] = pos;
        bounds[2 * v + 1] = end;
        v++;
      }
      pos = end + 1;
    }
    int remainderStart = pattern.endsWithWildcard() && pos <= len ? pos : -1;
    return new PathParams(path, pattern.variableNameArray(), bounds, remainderStart);
  }

  /** Number of captured variables. */
  public int size() {
    return names.length;
  }

  /** Name of variable {@code i}, in pattern order. */
  public String name(int i) {
    return names[i];
  }

  /** Value of variable {@code i}, in pattern order. */
  public String value(int i) {
    return path.substring(bounds[2 * i], bounds[2 * i + 1]);
  }

  /** The value captured for {@code name}, or null when the pattern has no such variable. */
  public String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return value(i);
      }
    }
    return null;
  }

  /**
   * What a trailing {@code **} matched, without the leading slash: {@code users/42} for
   * {@code /api/**} and {@code /api/users/42}, the empty string for {@code /api/}, and null when
   * it matched no segment at all ({@code /api}) or the pattern has no {@code **}.
   */
  public String remainder() {
    return remainderStart < 0 ? null : path.substring(remainderStart);
  }

  /** The variables as an unmodifiable map in pattern order (allocates; for filters and logs). */
  public Map<String, String> asMap() {
    if (names.length == 0) {
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>(names.length * 2);
    for (int i = 0; i < names.length; i++) {
      map.put(names[i], value(i));
    }
    return Collections.unmodifiableMap(map);
  }

  void appendValue(StringBuilder out, int i) {
    out.append(path, bounds[2 * i], bounds[2 * i + 1]);
  }

  boolean hasRemainder() {
    return remainderStart >= 0;
  }

  void appendRemainder(StringBuilder out) {
    out.append(path, remainderStart, path.length());
  }

  int valueLengthSum() {
    int sum = remainderStart < 0 ? 0 : path.length() - remainderStart;
    for (int i = 0; i < names.length; i++) {
      sum += bounds[2 * i + 1] - bounds[2 * i];
    }
    return sum;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathParams p && p.asMap().equals(asMap())
        && Objects.equals(p.remainder(), remainder());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    String r = remainder();
    return r == null ? asMap().toString() : asMap() + " ** " + r;
  }
}
