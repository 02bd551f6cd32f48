package io.edgeway.plugin;

import static java.util.Objects.requireNonNull;

import io.edgeway.filter.FilterOrigin;
import io.edgeway.spi.SpiVersion;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * What a plugin jar says about itself in its manifest, checked against this gateway's SPI.
 *
 * @param jar the jar's path as found in the plugins directory
 * @param name {@code Edgeway-Plugin-Name}, else the file name without {@code .jar}
 * @param version {@code Edgeway-Plugin-Version}, else {@code Implementation-Version}, else {@code unknown}
 * @param spiVersion {@code Edgeway-Spi-Version}: the SPI version it was built for
 * @param sha256 the hex SHA-256 of the jar's bytes (a reload replaces a jar whose content changed)
 */
public record PluginDescriptor(Path jar, String name, String version, String spiVersion, String sha256) {
  public PluginDescriptor {
    requireNonNull(jar, "jar");
    requireNonNull(name, "name");
    requireNonNull(version, "version");
    requireNonNull(spiVersion, "spiVersion");
    requireNonNull(sha256, "sha256");
  }

  /**
   * Reads and checks the manifest attributes.
   *
   * @param manifest null when the jar has none
   * @throws PluginException naming the jar when the SPI version is missing, malformed or incompatible
   */
  static PluginDescriptor of(Path jar, Manifest manifest, String sha256) throws PluginException {
    Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
    String spi = trimmed(main.getValue(SpiVersion.MANIFEST_ATTRIBUTE));
    if (spi == null) {
      throw new PluginException(jar + ": " + SpiVersion.MANIFEST_ATTRIBUTE + ": missing from META-INF/MANIFEST.MF "
          + "(expected: the Edgeway SPI version the plugin was built for, e.g. " + SpiVersion.CURRENT + ")");
    }
    if (SpiVersion.parse(spi).isEmpty()) {
      throw new PluginException(jar + ": " + SpiVersion.MANIFEST_ATTRIBUTE + ": " + spi
          + " (expected: a version such as " + SpiVersion.CURRENT + ")");
    }
    if (!SpiVersion.isCompatible(spi)) {
      throw new PluginException(jar + ": built for Edgeway SPI " + spi + "; this gateway provides "
          + SpiVersion.CURRENT + " (expected: " + SpiVersion.accepted() + ")");
    }
    String fileName = jar.getFileName().toString();
    String name = trimmed(main.getValue(SpiVersion.PLUGIN_NAME_ATTRIBUTE));
    if (name == null) {
      name = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
    }
    String version = trimmed(main.getValue(SpiVersion.PLUGIN_VERSION_ATTRIBUTE));
    if (version == null) {
      version = trimmed(main.getValue(Attributes.Name.IMPLEMENTATION_VERSION));
    }
    return new PluginDescriptor(jar, name, version == null ? "unknown" : version, spi, sha256);
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The origin its filters are registered with. */
  public FilterOrigin origin() {
    return FilterOrigin.plugin(jar.toString(), name, version);
  }
}
