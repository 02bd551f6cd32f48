package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds and splits key paths such as {@code routes[0].match.headers.X-Version}. A key that is not
 * made of letters, digits, {@code -} and {@code _} is written quoted: {@code headers["a.b"]}. Use
 * these methods wherever a path is built so that {@link ConfigErrors#addAt} finds it.
 */
public final class KeyPath {

  private KeyPath() {}

  /** The path of {@code key} inside the mapping at {@code parent} ({@code ""} is the root). */
  public static String key(String parent, String key) {
    requireNonNull(parent, "parent");
    requireNonNull(key, "key");
    if (isPlain(key)) {
      return parent.isEmpty() ? key : parent + "." + key;
    }
    StringBuilder out = new StringBuilder(parent.length() + key.length() + 4).append(parent).append("[\"");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append("\"]").toString();
  }

  /** The path of element {@code index} of the sequence at {@code parent}. */
  public static String index(String parent, int index) {
    requireNonNull(parent, "parent");
    return parent + "[" + index + "]";
  }

  /** Joins a path relative to {@code parent} ({@code port}, {@code methods[1]}) onto it. */
  public static String join(String parent, String relative) {
    if (parent.isEmpty()) {
      return relative;
    }
    if (relative.isEmpty()) {
      return parent;
    }
    return relative.charAt(0) == '[' ? parent + relative : parent + "." + relative;
  }

  /**
   * Splits a path into its steps: a {@code String} is a mapping key, an {@code Integer} a sequence
   * index.
   *
   * @return the steps, or null when the text is not a well-formed path
   */
  static List<Object> steps(String path) {
    List<Object> steps = new ArrayList<>();
    int i = 0;
    int n = path.length();
    while (i < n) {
      char c = path.charAt(i);
      if (c == '.') {
        if (steps.isEmpty()) {
          return null;
        }
        i++;
        continue;
      }
      if (c == '[') {
        if (i + 1 < n && path.charAt(i + 1) == '"') {
          StringBuilder key = new StringBuilder();
          int j = i + 2;
          while (j < n && path.charAt(j) != '"') {
            if (path.charAt(j) == '\\' && j + 1 < n) {
              j++;
            }
            key.append(path.charAt(j++));
          }
          if (j + 1 >= n || path.charAt(j + 1) != ']') {
            return null;
          }
          steps.add(key.toString());
          i = j + 2;
        } else {
          int close = path.indexOf(']', i);
          if (close < 0 || close == i + 1 || close - i > 10) {
            return null;
          }
          int value = 0;
          for (int j = i + 1; j < close; j++) {
            char d = path.charAt(j);
            if (d < '0' || d > '9') {
              return null;
            }
            value = value * 10 + (d - '0');
          }
          steps.add(value);
          i = close + 1;
        }
        continue;
      }
      int j = i;
      while (j < n && path.charAt(j) != '.' && path.charAt(j) != '[') {
        j++;
      }
      steps.add(path.substring(i, j));
      i = j;
    }
    return steps;
  }

  /** The path without its last step, or null for the root. */
  static String parent(String path) {
    if (path.isEmpty()) {
      return null;
    }
    if (path.charAt(path.length() - 1) == ']') {
      // A quoted key may contain '[' or '.': cut at the bracket that opens the last step.
      int open = path.endsWith("\"]") ? path.lastIndexOf("[\"") : path.lastIndexOf('[');
      return open <= 0 ? "" : path.substring(0, open);
    }
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  private static boolean isPlain(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
