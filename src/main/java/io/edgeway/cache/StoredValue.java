package io.edgeway.cache;

/** What the store holds under a key: a response, or the list of headers a resource varies on. */
sealed interface StoredValue permits CachedResponse, VaryMarker {

  /** When the store may drop the value (clock milliseconds): freshness plus the stale windows. */
  long removeAtMillis();

  /** Approximate heap bytes of the value, for the store's weigher. */
  int weight();
}
