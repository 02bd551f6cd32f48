package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Collects every configuration problem before any is reported, so an operator fixes a file in
 * one pass. Used by the loader, the {@link Binder}, and later validation stages (routing, filter
 * factories) that report at a key path. Not thread-safe: one collector per load, on one thread.
 */
public final class ConfigErrors {

  private final ConfigLocations locations;
  private final List<ConfigError> errors = new ArrayList<>();
  // Nodes already reported (e.g. a missing environment variable) so the binder does not add a
  // second, derived error for the same value.
  private final Set<Node> reported = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * @param locations the positions of the loaded file, used by {@link #addAt}
   */
  public ConfigErrors(ConfigLocations locations) {
    this.locations = requireNonNull(locations, "locations");
  }

  /** The positions this collector resolves paths with. */
  public ConfigLocations locations() {
    return locations;
  }

  /** Reports a problem with the whole node: {@code path: message} at the node's position. */
  public void add(ConfigNode at, String message) {
    requireNonNull(at, "at");
    add(at, at.path(), message);
  }

  /** Reports a problem at the node's position under a path of the caller's choice. */
  public void add(ConfigNode at, String path, String message) {
    requireNonNull(at, "at");
    add(at.source(), at.node(), path, message);
  }

  /**
   * Reports a problem at a key path of the loaded file, e.g.
   * {@code addAt("routes[2].match.path", "/a/{x} (expected: ...; conflicts with route 'b')")}. A
   * path the file does not contain (a defaulted key) is reported at its closest written ancestor.
   */
  public void addAt(String path, String message) {
    requireNonNull(path, "path");
    requireNonNull(message, "message");
    errors.add(ConfigError.at(locations.nearest(path), path, message));
  }

  /** Adds a problem found elsewhere. */
  public void add(ConfigError error) {
    errors.add(requireNonNull(error, "error"));
  }

  void add(String source, Node node, String path, String message) {
    requireNonNull(path, "path");
    requireNonNull(message, "message");
    errors.add(ConfigError.at(ConfigPosition.of(source, node), path, message));
    if (node != null) {
      reported.add(node);
    }
  }

  /** A collector with the same problems so far that resolves paths with {@code other}. */
  ConfigErrors withLocations(ConfigLocations other) {
    ConfigErrors copy = new ConfigErrors(other);
    copy.errors.addAll(errors);
    copy.reported.addAll(reported);
    return copy;
  }

  void markReported(Node node) {
    reported.add(node);
  }

  boolean isReported(Node node) {
    return reported.contains(node);
  }

  /** True when no problem was reported. */
  public boolean isEmpty() {
    return errors.isEmpty();
  }

  /** The problems so far, in file order. */
  public List<ConfigError> errors() {
    List<ConfigError> sorted = new ArrayList<>(errors);
    sorted.sort(ConfigError.FILE_ORDER);
    return List.copyOf(sorted);
  }

  /** Throws all problems at once, in file order, if there is any. */
  public void throwIfAny() throws ConfigException {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors());
    }
  }
}
