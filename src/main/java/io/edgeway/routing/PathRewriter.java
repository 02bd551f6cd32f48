package io.edgeway.routing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the canonical request path into the upstream path for one route. Built once per route at
 * load time (validated against the route's pattern); applying it does no parsing.
 *
 * <p>The result is canonical and is sent upstream as-is: literal template text is validated like
 * a pattern literal, and values come from segments of the canonical request path.
 */
public sealed interface PathRewriter {

  /**
   * Returns the upstream path.
   *
   * @param canonicalPath the path the route matched
   * @param params the parameters the match captured from that path
   */
  String rewrite(String canonicalPath, PathParams params);

  /** Forwards the path unchanged. */
  static PathRewriter keep() {
    return Keep.INSTANCE;
  }

  /** Compiles {@code rule} for routes with {@code pattern}. */
  static PathRewriter of(PathPattern pattern, RewriteRule rule) {
    requireNonNull(pattern, "pattern");
    requireNonNull(rule, "rule");
    if (rule instanceof RewriteRule.StripPrefix s) {
      return stripPrefix(pattern, s.segments());
    }
    if (rule instanceof RewriteRule.Template t) {
      return template(pattern, t.template());
    }
    return keep();
  }

  /**
   * Drops the first {@code segments} segments ({@code /api/users/42}, 1 → {@code /users/42};
   * everything stripped → {@code /}; a trailing slash is kept).
   *
   * @throws InvalidRouteException when {@code segments} is negative or larger than the number of
   *     fixed segments of {@code pattern} (stripping into a {@code **} remainder would depend on the
   *     request, which is almost certainly a mistake)
   */
  static PathRewriter stripPrefix(PathPattern pattern, int segments) {
    requireNonNull(pattern, "pattern");
    int max = pattern.fixedSegmentCount();
    if (segments < 0 || segments > max) {
      throw new InvalidRouteException(
          "strip-prefix " + segments,
          "expected: 0 to " + max + ", the number of segments before any '**' in " + pattern.text());
    }
    return segments == 0 ? keep() : new StripPrefix(segments);
  }

  /**
   * Fills {@code template} from the captured parameters: {@code /v2/users/{id}}; a final
   * {@code /{**}} is replaced by {@code /} and the remainder, or dropped when the {@code **} matched
   * nothing ({@code /v2/{**}}: {@code /api} → {@code /v2}, {@code /api/} → {@code /v2/},
   * {@code /api/a/b} → {@code /v2/a/b}).
   *
   * @throws InvalidRouteException when the template is malformed or names a variable the pattern
   *     does not capture
   */
  static PathRewriter template(PathPattern pattern, String template) {
    requireNonNull(pattern, "pattern");
    requireNonNull(template, "template");
    return TemplateRewriter.compile(pattern, template);
  }

  /** Forwards the path unchanged. */
  final class Keep implements PathRewriter {
    static final Keep INSTANCE = new Keep();

    private Keep() {}

    @Override
    public String rewrite(String canonicalPath, PathParams params) {
      return canonicalPath;
    }

    @Override
    public String toString() {
      return "keep";
    }
  }

  /** Drops a fixed number of leading segments. */
  final class StripPrefix implements PathRewriter {
    private final int segments;

    private StripPrefix(int segments) {
      this.segments = segments;
    }

    @Override
    public String rewrite(String canonicalPath, PathParams params) {
      int pos = 0;
      for (int i = 0; i < segments; i++) {
        int next = canonicalPath.indexOf('/', pos + 1);
        if (next < 0) {
          return "/";
        }
        pos = next;
      }
      return canonicalPath.substring(pos);
    }

    @Override
    public String toString() {
      return "strip-prefix " + segments;
    }
  }

  /** Literal text interleaved with variable values and an optional remainder. */
  final class TemplateRewriter implements PathRewriter {
    private final String template;
    private final String[] literals;
    private final int[] variables;
    private final boolean endsWithRemainder;
    private final int literalLength;

    private TemplateRewriter(String template, String[] literals, int[] variables, boolean endsWithRemainder) {
      this.template = template;
      this.literals = literals;
      this.variables = variables;
      this.endsWithRemainder = endsWithRemainder;
      int n = 0;
      for (String l : literals) {
        n += l.length();
      }
      this.literalLength = n;
    }

    static TemplateRewriter compile(PathPattern pattern, String template) {
      if (template.isEmpty() || template.charAt(0) != '/') {
        throw new InvalidRouteException(template, "expected: a path template starting with '/', such as /v2/users/{id}");
      }
      boolean remainder = false;
      String body = template;
      if (template.endsWith("/{**}")) {
        if (!pattern.endsWithWildcard()) {
          throw new InvalidRouteException(
              template, "{**} but " + pattern.text() + " has no '**'; expected: {**} only for patterns ending in /**");
        }
        remainder = true;
        body = template.substring(0, template.length() - "/{**}".length());
      }
      List<String> literals = new ArrayList<>();
      List<Integer> variables = new ArrayList<>();
      StringBuilder literal = new StringBuilder();
      int i = 0;
      while (i < body.length()) {
        char c = body.charAt(i);
        if (c == '{') {
          int close = body.indexOf('}', i);
          if (close < 0) {
            throw new InvalidRouteException(template, "'{' without '}'; expected: {name}");
          }
          String name = body.substring(i + 1, close);
          if (name.equals("**")) {
            throw new InvalidRouteException(template, "{**} not at the end; expected: {**} only as a final /{**}");
          }
          int index = pattern.variableIndex(name);
          if (index < 0) {
            throw new InvalidRouteException(
                template,
                "{" + name + "} is not captured by " + pattern.text() + "; expected: one of "
                    + pattern.variableNames() + (pattern.endsWithWildcard() ? " or a final /{**}" : ""));
          }
          literals.add(literal.toString());
          literal.setLength(0);
          variables.add(index);
          i = close + 1;
        } else if (c == '/') {
          if (i + 1 < body.length() && body.charAt(i + 1) == '/') {
            throw new InvalidRouteException(template, "empty segment '//'; expected: a canonical path");
          }
          literal.append(c);
          i++;
        } else {
          String problem = c == '}' ? "'}' without '{'; expected: {name}" : PathPattern.literalCharProblem(c);
          if (problem != null) {
            throw new InvalidRouteException(template, problem);
          }
          literal.append(c);
          i++;
        }
      }
      literals.add(literal.toString());
      checkNoDotSegments(template, body);
      return new TemplateRewriter(
          template,
          literals.toArray(new String[0]),
          variables.stream().mapToInt(Integer::intValue).toArray(),
          remainder);
    }

    private static void checkNoDotSegments(String template, String body) {
      int pos = 1;
      while (pos <= body.length()) {
        int end = body.indexOf('/', pos);
        if (end < 0) {
          end = body.length();
        }
        String segment = body.substring(pos, end);
        if (segment.equals(".") || segment.equals("..")) {
          throw new InvalidRouteException(template, "dot segment '" + segment + "'; expected: a canonical path");
        }
        pos = end + 1;
      }
    }

    @Override
    public String rewrite(String canonicalPath, PathParams params) {
      StringBuilder out = new StringBuilder(literalLength + params.valueLengthSum() + 1);
      out.append(literals[0]);
      for (int i = 0; i < variables.length; i++) {
        params.appendValue(out, variables[i]);
        out.append(literals[i + 1]);
      }
      if (endsWithRemainder && params.hasRemainder()) {
        out.append('/');
        params.appendRemainder(out);
      }
      return out.length() == 0 ? "/" : out.toString();
    }

    @Override
    public String toString() {
      return "template " + template;
    }
  }
}
