package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the running configuration came from, and so what a reload reads again.
 *
 * @param source the name errors and {@code GET /config} show (the file as given, or
 *     {@code embedded:...})
 * @param file the file a reload reads; null for a configuration that is not a file (the jar's
 *     embedded default, a test's text), which cannot be reloaded
 * @param hash {@link ConfigVersion#hashOf} of the text the gateway started with
 */
public record ConfigOrigin(String source, Path file, String hash) {

  public ConfigOrigin {
    requireNonNull(source, "source");
    requireNonNull(hash, "hash");
  }

  /** A configuration read from {@code file} with this text. */
  public static ConfigOrigin ofFile(Path file, String text) {
    requireNonNull(file, "file");
    return new ConfigOrigin(file.toString(), file, ConfigVersion.hashOf(text));
  }

  /** A configuration that is not a file: reloads are refused. */
  public static ConfigOrigin ofText(String source, String text) {
    return new ConfigOrigin(source, null, ConfigVersion.hashOf(text));
  }

  /** The file a reload reads, if any. */
  public Optional<Path> reloadableFile() {
    return Optional.ofNullable(file);
  }
}
