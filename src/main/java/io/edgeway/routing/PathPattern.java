package io.edgeway.routing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A parsed route path pattern: exact ({@code /a/b}), prefix ({@code /a/**}) or template
 * ({@code /users/{id}}, optionally ending in {@code /**}).
 *
 * <p>A path is a sequence of segments: the text between slashes after the leading one, so
 * {@code /} is one empty segment and {@code /a/} is {@code a} followed by an empty segment (which
 * is why {@code /a} and {@code /a/} are different exact paths). In a pattern:
 * <ul>
 *   <li>a literal segment matches the same text (case-sensitive);
 *   <li>{@code {name}} matches exactly one non-empty segment; names are
 *       {@code [A-Za-z][A-Za-z0-9_]*}, unique within the pattern;
 *   <li>a final {@code **} matches zero or more remaining segments, so {@code /a/**} matches
 *       {@code /a}, {@code /a/} and everything below, but never {@code /apiary}-style siblings
 *       such as {@code /ab} (prefixes are segment-aligned).
 * </ul>
 * Only an empty last segment is allowed (no {@code //}); dot segments, {@code ?}, {@code #},
 * {@code %}, {@code ;}, {@code \}, whitespace and non-ASCII are rejected because a canonical
 * request path can never contain them as a literal, and a pattern that cannot match is a mistake.
 */
public final class PathPattern {

  /** What kind of pattern this is. */
  public enum Kind {
    /** Only literal segments. */
    EXACT,
    /** Literal segments followed by {@code **}. */
    PREFIX,
    /** At least one variable segment, optionally followed by {@code **}. */
    TEMPLATE
  }

  private static final String EXPECTED =
      "expected: a path such as /a/b, /a/** or /users/{id}";

  private final String text;
  private final String[] segments;
  private final String[] variableNames;
  private final int[] variableSegments;
  private final boolean endsWithWildcard;
  private final String normalized;

  private PathPattern(
      String text, String[] segments, String[] variableNames, int[] variableSegments, boolean endsWithWildcard) {
    this.text = text;
    this.segments = segments;
    this.variableNames = variableNames;
    this.variableSegments = variableSegments;
    this.endsWithWildcard = endsWithWildcard;
    StringBuilder n = new StringBuilder(text.length());
    for (String s : segments) {
      n.append('/').append(s == null ? "{}" : s);
    }
    if (endsWithWildcard) {
      n.append("/**");
    }
    this.normalized = n.toString();
  }

  /**
   * Parses a pattern.
   *
   * @throws InvalidRouteException when the pattern is invalid; the message says why and what was
   *     expected
   */
  public static PathPattern parse(String text) {
    requireNonNull(text, "text");
    if (text.isEmpty() || text.charAt(0) != '/') {
      throw new InvalidRouteException(text, "expected: a path starting with '/'");
    }
    List<String> segments = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> nameSegments = new ArrayList<>();
    boolean wildcard = false;
    int len = text.length();
    int pos = 1;
    while (true) {
      int end = text.indexOf('/', pos);
      boolean last = end < 0;
      if (last) {
        end = len;
      }
      String segment = text.substring(pos, end);
      if (segment.isEmpty()) {
        if (!last) {
          throw new InvalidRouteException(text, "empty segment '//'; " + EXPECTED);
        }
        segments.add(segment);
      } else if (segment.equals("**")) {
        if (!last) {
          throw new InvalidRouteException(text, "'**' must be the last segment; expected: a prefix such as /api/**");
        }
        wildcard = true;
      } else if (segment.charAt(0) == '{') {
        String name = variableName(text, segment);
        if (names.contains(name)) {
          throw new InvalidRouteException(text, "duplicate variable {" + name + "}; expected: unique variable names");
        }
        names.add(name);
        nameSegments.add(segments.size());
        segments.add(null);
      } else {
        checkLiteral(text, segment);
        segments.add(segment);
      }
      if (last) {
        break;
      }
      pos = end + 1;
    }
    return new PathPattern(
        text,
        segments.toArray(new String[0]),
        names.toArray(new String[0]),
        nameSegments.stream().mapToInt(Integer::intValue).toArray(),
        wildcard);
  }

  private static String variableName(String text, String segment) {
    int close = segment.indexOf('}');
    if (close < 0) {
      throw new InvalidRouteException(text, "'{' without '}'; expected: {name} as a whole segment");
    }
    if (close != segment.length() - 1) {
      throw new InvalidRouteException(text, "text after '}' in " + segment + "; expected: {name} as a whole segment");
    }
    String name = segment.substring(1, close);
    if (!isVariableName(name)) {
      throw new InvalidRouteException(
          text, "invalid variable {" + name + "}; expected: a name matching [A-Za-z][A-Za-z0-9_]*");
    }
    return name;
  }

  static boolean isVariableName(String name) {
    if (name.isEmpty() || !isAsciiLetter(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** Rejects a literal segment a canonical path could never contain, with a precise reason. */
  static void checkLiteral(String text, String segment) {
    if (segment.equals(".") || segment.equals("..")) {
      throw new InvalidRouteException(
          text, "dot segment '" + segment + "'; expected: no '.' or '..' segments (request paths are normalized)");
    }
    for (int i = 0; i < segment.length(); i++) {
      String problem = literalCharProblem(segment.charAt(i));
      if (problem != null) {
        throw new InvalidRouteException(text, problem);
      }
    }
  }

  /** Returns why {@code c} cannot appear in a literal segment, or null when it can. */
  static String literalCharProblem(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return null;
    }
    return switch (c) {
      case '-', '.', '_', '~', '!', '$', '&', '\'', '(', ')', '+', ',', '=', ':', '@' -> null;
      case '*' -> "'*' outside a final '**' segment; expected: '**' only as the last segment";
      case '{', '}' -> "'" + c + "' inside a segment; expected: {name} as a whole segment";
      case '?', '#' -> "'" + c + "' in a path; expected: no query or fragment in a path pattern";
      case '%' -> "'%' in a path; expected: decoded characters (request paths are canonical)";
      case ';' -> "';' in a path; expected: no matrix parameters";
      case '\\' -> "'\\' in a path; expected: '/' as the only separator";
      default -> {
        if (c <= ' ' || c == 0x7f || Character.isWhitespace(c)) {
          yield "whitespace or control character 0x" + Integer.toHexString(c) + "; expected: visible ASCII";
        }
        if (c > 0x7f) {
          yield "non-ASCII character '" + c + "'; expected: ASCII (request paths keep non-ASCII percent-encoded)";
        }
        yield "character '" + c + "'; expected: letters, digits and -._~!$&'()+,=:@";
      }
    };
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  /** The kind of pattern. */
  public Kind kind() {
    if (variableNames.length > 0) {
      return Kind.TEMPLATE;
    }
    return endsWithWildcard ? Kind.PREFIX : Kind.EXACT;
  }

  /** Whether the pattern ends in {@code **}. */
  public boolean endsWithWildcard() {
    return endsWithWildcard;
  }

  /** Number of segments before any {@code **}: literals and variables. */
  public int fixedSegmentCount() {
    return segments.length;
  }

  /** The literal text of fixed segment {@code i}, or null when it is a variable. */
  public String literalSegment(int i) {
    return segments[i];
  }

  /** Variable names in the order they appear. */
  public List<String> variableNames() {
    return Collections.unmodifiableList(Arrays.asList(variableNames));
  }

  /** Index of variable {@code name} in {@link #variableNames()}, or -1. */
  public int variableIndex(String name) {
    for (int i = 0; i < variableNames.length; i++) {
      if (variableNames[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The pattern with variable names erased ({@code /u/{a}} and {@code /u/{b}} both give
   * {@code /u/{}}): two patterns with the same normalized form match exactly the same paths.
   */
  public String normalized() {
    return normalized;
  }

  String[] variableNameArray() {
    return variableNames;
  }

  int[] variableSegmentArray() {
    return variableSegments;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathPattern p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
