package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in a scalar with the environment's value;
 * {@code $${X}} stays as the literal text {@code ${X}}. Like a POSIX shell, {@code :-} also applies
 * when the variable is set but empty. Substituted text is not scanned again, so a value from the
 * environment can never pull in another variable.
 */
final class EnvSubstitution {

  private static final String SYNTAX = "${NAME} or ${NAME:-default}";

  private final Function<String, String> environment;

  EnvSubstitution(Function<String, String> environment) {
    this.environment = requireNonNull(environment, "environment");
  }

  /**
   * @return the text with every reference replaced
   * @throws IllegalArgumentException with a {@code value (expected: ...)} message for a reference
   *     that is malformed or names an unset variable without a default
   */
  String apply(String text) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (c == '$' && text.startsWith("${", i)) {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException(text + " (expected: " + SYNTAX + " closed by '}')");
        }
        String body = text.substring(i + 2, close);
        int separator = body.indexOf(":-");
        String name = separator < 0 ? body : body.substring(0, separator);
        String fallback = separator < 0 ? null : body.substring(separator + 2);
        if (!isName(name)) {
          throw new IllegalArgumentException("${" + body + "} (expected: " + SYNTAX
              + " where NAME is letters, digits and '_', not starting with a digit)");
        }
        String value = environment.apply(name);
        if (value == null || (value.isEmpty() && fallback != null)) {
          if (fallback == null) {
            throw new IllegalArgumentException("${" + name + "} (expected: environment variable " + name + " to be set)");
          }
          value = fallback;
        }
        out.append(value);
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean isName(String name) {
    if (name.isEmpty() || (name.charAt(0) >= '0' && name.charAt(0) <= '9')) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
