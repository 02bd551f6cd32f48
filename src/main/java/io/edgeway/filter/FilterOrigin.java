package io.edgeway.filter;

import static java.util.Objects.requireNonNull;

/**
 * Where a filter factory comes from: the gateway itself ({@link #BUILT_IN}) or a plugin jar, so
 * that loading and creation errors can name it.
 *
 * @param jar the plugin jar's path as found in the plugins directory, or {@code built-in}
 * @param plugin the plugin's name ({@code Edgeway-Plugin-Name}), null for built-ins
 * @param version the plugin's version, null for built-ins
 */
public record FilterOrigin(String jar, String plugin, String version) {
  /** The gateway's own jar (and, in tests, its class path). */
  public static final FilterOrigin BUILT_IN = new FilterOrigin("built-in", null, null);

  public FilterOrigin {
    requireNonNull(jar, "jar");
  }

  /** A plugin jar's factories. */
  public static FilterOrigin plugin(String jar, String plugin, String version) {
    return new FilterOrigin(jar, requireNonNull(plugin, "plugin"), requireNonNull(version, "version"));
  }

  public boolean isBuiltIn() {
    return plugin == null;
  }

  /** {@code built-in}, or {@code plugin NAME VERSION (JAR)}. */
  public String describe() {
    return isBuiltIn() ? jar : "plugin " + plugin + " " + version + " (" + jar + ")";
  }

  @Override
  public String toString() {
    return jar;
  }
}
