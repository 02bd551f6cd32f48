package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The keys whose bound values differ between two configurations, as the YAML key paths an operator
 * wrote ({@code server.port}, {@code events.journal.dir}). Records are compared component by
 * component (kebab-case keys); anything else (lists, maps, scalars) by {@code equals}, reported at
 * its own key. A reload uses it to name the keys it cannot apply without a restart.
 */
public final class ConfigDiff {

  /** One changed key, with both bound values. */
  public record Change(String path, Object running, Object next) {
    public Change {
      requireNonNull(path, "path");
    }

    /** {@code 9090 (expected: 8080, the running value; ...)}: the values as an operator writes them. */
    public String describe(String why) {
      return display(next) + " (expected: " + display(running) + ", the running value; " + why + ")";
    }
  }

  private ConfigDiff() {}

  /** The changed keys under {@code path} (e.g. {@code "server"}), in component order. */
  public static List<Change> between(String path, Object running, Object next) {
    requireNonNull(path, "path");
    List<Change> changes = new ArrayList<>();
    collect(path, running, next, changes);
    return changes;
  }

  private static void collect(String path, Object running, Object next, List<Change> out) {
    if (Objects.equals(running, next)) {
      return;
    }
    if (running != null && next != null && running.getClass() == next.getClass() && isSection(running)) {
      for (RecordComponent component : running.getClass().getRecordComponents()) {
        String key = path.isEmpty() ? ScalarParsers.kebab(component.getName())
            : path + "." + ScalarParsers.kebab(component.getName());
        collect(key, value(component, running), value(component, next), out);
      }
      return;
    }
    out.add(new Change(path, running, next));
  }

  // A record parsed from one scalar (a URL, a CIDR, a size, a percentage: it has a static
  // parse(String)) is one value in YAML, not a section of keys.
  private static boolean isSection(Object value) {
    if (!(value instanceof Record)) {
      return false;
    }
    try {
      value.getClass().getMethod("parse", String.class);
      return false;
    } catch (NoSuchMethodException e) {
      return true;
    }
  }

  private static Object value(RecordComponent component, Object record) {
    try {
      component.getAccessor().setAccessible(true);
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + component + " of " + record.getClass().getName(), e);
    }
  }

  /** A value as YAML would write it: durations with a unit, absent as "none". */
  static String display(Object value) {
    if (value == null) {
      return "none";
    }
    if (value instanceof Duration d) {
      long millis = d.toMillis();
      if (millis % 1000 != 0) {
        return millis + "ms";
      }
      long seconds = millis / 1000;
      return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + "m" : seconds + "s";
    }
    if (isSection(value)) {
      // A record's default toString would show Java names; the key path already says what it is.
      return "a changed value";
    }
    return value.toString();
  }
}
