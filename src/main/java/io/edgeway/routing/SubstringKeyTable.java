package io.edgeway.routing;

import java.util.Map;

/**
 * An immutable hash table with string keys that is looked up by a range of a larger string, so
 * matching a path segment or a host suffix needs no substring. Open addressing, load factor at
 * most 1/2; the hash is {@link String#hashCode()} computed over the range.
 */
final class SubstringKeyTable<V> {
  private final String[] keys;
  private final Object[] values;
  private final int mask;

  SubstringKeyTable(Map<String, V> entries) {
    int capacity = Integer.highestOneBit(Math.max(2, entries.size()) * 2 - 1) << 1;
    keys = new String[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    for (Map.Entry<String, V> e : entries.entrySet()) {
      int i = spread(e.getKey().hashCode()) & mask;
      while (keys[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = e.getKey();
      values[i] = e.getValue();
    }
  }

  /** The value for {@code key}, or null; uses the string's cached hash. */
  V get(String key) {
    return find(key, 0, key.length(), key.hashCode());
  }

  /** The value for key {@code text[start, end)}, or null. */
  V get(String text, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + text.charAt(i);
    }
    return find(text, start, end, h);
  }

  @SuppressWarnings("unchecked")
  private V find(String text, int start, int end, int h) {
    int length = end - start;
    int i = spread(h) & mask;
    String key;
    while ((key = keys[i]) != null) {
      if (key.length() == length && text.regionMatches(start, key, 0, length)) {
        return (V) values[i];
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
