package io.edgeway.spi;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The semantic version of this SPI, and the rule by which the gateway accepts a plugin.
 *
 * <p>A plugin jar declares the SPI version it was compiled against in its manifest, under
 * {@value #MANIFEST_ATTRIBUTE} (required). The gateway loads it when the major versions are equal
 * and the plugin's minor version is not newer than the gateway's: a minor version only adds to the
 * SPI, a major version may remove or change. The patch version is not compared. For example, a
 * gateway providing {@code 1.2.0} loads plugins built for {@code 1.0.0}, {@code 1.2.5}, but not
 * {@code 1.3.0} (it may call what this gateway lacks) nor {@code 2.0.0}.
 *
 * <p>Optional manifest attributes: {@value #PLUGIN_NAME_ATTRIBUTE} (default: the jar's file name
 * without {@code .jar}) and {@value #PLUGIN_VERSION_ATTRIBUTE} (default: {@code
 * Implementation-Version}, else {@code unknown}).
 */
public final class SpiVersion {
  /** The SPI version this gateway provides. */
  public static final String CURRENT = "1.0.0";

  /** The manifest attribute naming the SPI version a plugin was built for (required). */
  public static final String MANIFEST_ATTRIBUTE = "Edgeway-Spi-Version";

  /** The manifest attribute naming the plugin (optional). */
  public static final String PLUGIN_NAME_ATTRIBUTE = "Edgeway-Plugin-Name";

  /** The manifest attribute giving the plugin's own version (optional). */
  public static final String PLUGIN_VERSION_ATTRIBUTE = "Edgeway-Plugin-Version";

  private static final Pattern SEMVER = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})(?:\\.(0|[1-9][0-9]{0,8}))?");

  private SpiVersion() {}

  /**
   * The major and minor numbers of a version text.
   *
   * @param text {@code MAJOR.MINOR} or {@code MAJOR.MINOR.PATCH}, decimal numbers without leading zeros
   * @return {@code [major, minor]}, or empty when the text is not such a version
   */
  public static Optional<int[]> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = SEMVER.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
  }

  /**
   * Whether a plugin built for {@code pluginVersion} runs on this gateway ({@link #CURRENT}): same
   * major version, and a minor version not newer than this gateway's.
   *
   * @param pluginVersion the plugin's {@value #MANIFEST_ATTRIBUTE}
   * @return false also when the text is not a version
   */
  public static boolean isCompatible(String pluginVersion) {
    int[] current = parse(CURRENT).orElseThrow();
    return parse(pluginVersion).map(v -> v[0] == current[0] && v[1] <= current[1]).orElse(false);
  }

  /**
   * The versions this gateway accepts, in words, for error messages: {@code "1.0 or older 1.x"}
   * for {@code 1.0.0}.
   *
   * @return a short description of the accepted range
   */
  public static String accepted() {
    int[] current = parse(CURRENT).orElseThrow();
    return current[0] + "." + current[1] + " or older " + current[0] + ".x";
  }
}
