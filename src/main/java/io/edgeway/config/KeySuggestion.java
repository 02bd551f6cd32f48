package io.edgeway.config;

import java.util.Collection;
import java.util.Locale;

/** Finds the known key an unknown one was probably meant to be ("did you mean ...?"). */
public final class KeySuggestion {

  private static final int MAX_DISTANCE = 2;

  private KeySuggestion() {}

  /** The closest known key within two edits, or one the unknown key is a prefix of; else null. */
  public static String nearest(String unknown, Collection<String> known) {
    String typed = unknown.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(typed, candidate, MAX_DISTANCE);
      if (distance <= MAX_DISTANCE && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best != null) {
      return best;
    }
    for (String candidate : known) {
      if (typed.length() >= 3 && (candidate.startsWith(typed) || typed.startsWith(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  /** Levenshtein distance, giving up (returning limit + 1) once it must exceed {@code limit}. */
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) {
      return limit + 1;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      int rowMin = current[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
        rowMin = Math.min(rowMin, current[j]);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
