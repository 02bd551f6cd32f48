package io.edgeway.routing;

import java.util.Set;

/** A route in the form the matcher uses: arrays instead of collections, results precomputed. */
final class CompiledRoute<R> {
  final RouteEntry<R> entry;
  final PathPattern pattern;
  final HostPattern host;
  final String[] headerNames;
  final String[] headerValues;
  /** Null means any method. */
  final String[] methods;
  /** The match result when the pattern captures nothing, shared by every request. */
  private final RouteMatch.Found<R> foundWithoutCapture;

  CompiledRoute(RouteEntry<R> entry, HostPattern host) {
    this.entry = entry;
    this.pattern = entry.path();
    this.host = host;
    this.headerNames = entry.headers().keySet().toArray(new String[0]);
    this.headerValues = entry.headers().values().toArray(new String[0]);
    this.methods = entry.methods().isEmpty() ? null : entry.methods().toArray(new String[0]);
    boolean capturesNothing = pattern.variableNameArray().length == 0 && !pattern.endsWithWildcard();
    this.foundWithoutCapture = capturesNothing ? new RouteMatch.Found<>(entry, PathParams.NONE) : null;
  }

  boolean headersMatch(HeaderLookup headers) {
    for (int i = 0; i < headerNames.length; i++) {
      if (!headerValues[i].equals(headers.get(headerNames[i]))) {
        return false;
      }
    }
    return true;
  }

  boolean acceptsMethod(String method) {
    if (methods == null) {
      return true;
    }
    for (String m : methods) {
      if (m.equals(method)) {
        return true;
      }
    }
    return false;
  }

  void addMethodsTo(Set<String> sink) {
    if (methods != null) {
      for (String m : methods) {
        sink.add(m);
      }
    }
  }

  RouteMatch.Found<R> found(String path) {
    return foundWithoutCapture != null
        ? foundWithoutCapture
        : new RouteMatch.Found<>(entry, PathParams.capture(pattern, path));
  }

  int headerCount() {
    return headerNames.length;
  }

  boolean anyMethod() {
    return methods == null;
  }
}
