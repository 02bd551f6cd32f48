package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each key path of a loaded configuration was written, so that later stages (routing,
 * filter factories) can report a problem at the right line: {@code routes[2].match.path} to
 * {@code edgeway.yaml:31:13}.
 */
public final class ConfigLocations {

  private final String source;
  private final Map<String, ConfigPosition> positions;

  /**
   * @param source the file name the paths belong to
   * @param positions key path to the position of its value; copied
   */
  public ConfigLocations(String source, Map<String, ConfigPosition> positions) {
    this.source = requireNonNull(source, "source");
    this.positions = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(positions, "positions")));
  }

  /** Locations of a document with no keys (nothing to point at but the file). */
  public static ConfigLocations empty(String source) {
    return new ConfigLocations(source, Map.of());
  }

  /** The file name. */
  public String source() {
    return source;
  }

  /** The position of the value at exactly {@code path}, if the file has that key. */
  public Optional<ConfigPosition> find(String path) {
    return Optional.ofNullable(positions.get(requireNonNull(path, "path")));
  }

  /**
   * The position of {@code path}, or of its closest ancestor that the file has (a key that was
   * left out to take its default is reported where its parent is), or the file without a line.
   */
  public ConfigPosition nearest(String path) {
    for (String p = requireNonNull(path, "path"); p != null; p = KeyPath.parent(p)) {
      ConfigPosition position = positions.get(p);
      if (position != null) {
        return position;
      }
    }
    return new ConfigPosition(source, 0, 0);
  }

  /** All paths in file order, with their positions. */
  public Map<String, ConfigPosition> asMap() {
    return positions;
  }
}
