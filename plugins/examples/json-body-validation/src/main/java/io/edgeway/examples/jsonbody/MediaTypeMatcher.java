package io.edgeway.examples.jsonbody;

import java.util.List;

/**
 * Whether a request's {@code Content-Type} is one the filter validates: an exact media type
 * ({@code application/json}) or a structured-syntax suffix ({@code +json} accepts
 * {@code application/merge-patch+json}). Parameters ({@code ; charset=utf-8}) and case are ignored.
 * Built once per route; matching allocates only the lower-cased type.
 */
final class MediaTypeMatcher {
  private final String[] exact;
  private final String[] suffixes;

  MediaTypeMatcher(List<String> configured) {
    this.exact = configured.stream().filter(t -> !t.startsWith("+")).toArray(String[]::new);
    this.suffixes = configured.stream().filter(t -> t.startsWith("+")).toArray(String[]::new);
  }

  boolean matches(String contentType) {
    if (contentType == null) {
      return false;
    }
    int end = contentType.indexOf(';');
    String type = (end < 0 ? contentType : contentType.substring(0, end)).trim();
    for (String candidate : exact) {
      if (type.equalsIgnoreCase(candidate)) {
        return true;
      }
    }
    int slash = type.indexOf('/');
    if (slash <= 0 || slash == type.length() - 1) {
      return false;
    }
    for (String suffix : suffixes) {
      // The suffix must follow a subtype name: "application/+json" is no media type.
      if (type.length() - slash - 1 > suffix.length()
          && type.regionMatches(true, type.length() - suffix.length(), suffix, 0, suffix.length())) {
        return true;
      }
    }
    return false;
  }
}
