package io.edgeway.auth;

import java.util.Collection;

/**
 * One {@code required-claims} entry: met when the claim equals the value, or when the claim is a
 * space-separated string (like {@code scope}) or an array that contains every space-separated
 * part of the value.
 */
record ClaimRequirement(String claim, String value) {

  boolean isMetBy(Object actual) {
    if (actual == null) {
      return false;
    }
    if (actual instanceof Collection<?> list) {
      if (list.contains(value)) {
        return true;
      }
      for (String part : value.trim().split(" +")) {
        if (!list.contains(part)) {
          return false;
        }
      }
      return true;
    }
    String text = actual.toString();
    if (text.equals(value)) {
      return true;
    }
    if (!(actual instanceof String)) {
      return false;
    }
    String padded = " " + text + " ";
    for (String part : value.trim().split(" +")) {
      if (!padded.contains(" " + part + " ")) {
        return false;
      }
    }
    return true;
  }
}
