package io.edgeway.cache;

import java.util.List;

/**
 * Stored under a primary key when the upstream answered with {@code Vary}: the responses live
 * under secondary keys made of the request's values of these headers.
 *
 * @param names lower-case header names, sorted, without duplicates
 * @param removeAtMillis when the marker may be dropped (the latest of its variants)
 */
record VaryMarker(List<String> names, long removeAtMillis) implements StoredValue {

  @Override
  public int weight() {
    int w = 64;
    for (String n : names) {
      w += 40 + 2 * n.length();
    }
    return w;
  }
}
