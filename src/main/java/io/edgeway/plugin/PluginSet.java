package io.edgeway.plugin;

import static java.util.Objects.requireNonNull;

import io.edgeway.filter.FilterOrigin;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.spi.GatewayFilterFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The filters a gateway can use: the built-ins plus the plugin jars of one scan of the plugins
 * directory ({@code *.jar}, in file-name order, each with its own class loader), and the {@link
 * FilterRegistry} of them all.
 *
 * <p>A reload {@link #rescan()}s: a jar whose path and content are unchanged keeps its loader (the
 * same {@link PluginJar}); a new or replaced jar gets a new one. Jars are reference-counted by the
 * route snapshots compiled with a set ({@link #retain()}, {@link #release()}); what no snapshot
 * holds any more is closed. Scanning runs plugin code (constructors, {@code name()}, {@code
 * stage()}) and reads files: call it at start-up or on the reload thread, never on an event loop.
 */
public final class PluginSet {
  private final Path dir;
  private final ClassLoader gateway;
  private final List<GatewayFilterFactory<?>> builtIns;
  private final List<PluginJar> jars;
  private final FilterRegistry registry;

  private PluginSet(Path dir, ClassLoader gateway, List<GatewayFilterFactory<?>> builtIns, List<PluginJar> jars,
      FilterRegistry registry) {
    this.dir = dir;
    this.gateway = gateway;
    this.builtIns = builtIns;
    this.jars = List.copyOf(jars);
    this.registry = registry;
  }

  /**
   * The built-ins the gateway's class loader registers, and the plugin jars in {@code dir} (none
   * when it does not exist).
   *
   * @throws PluginException naming the jar(s): unreadable, SPI version missing or incompatible, a
   *     factory that cannot be instantiated, a filter name claimed twice
   */
  public static PluginSet load(Path dir, ClassLoader gateway) throws PluginException {
    return load(dir, gateway, type -> true);
  }

  /**
   * As {@link #load(Path, ClassLoader)}, counting as built-in only the factories of the gateway's
   * class loader whose class {@code builtIn} accepts (an embedding test's class path may also hold
   * the plugin under test, which must then come from its jar only).
   */
  public static PluginSet load(Path dir, ClassLoader gateway, Predicate<Class<?>> builtIn)
      throws PluginException {
    requireNonNull(dir, "dir");
    requireNonNull(gateway, "gateway");
    List<GatewayFilterFactory<?>> builtIns;
    try {
      builtIns = FilterRegistry.load(gateway, FilterOrigin.BUILT_IN, builtIn);
    } catch (IllegalStateException e) {
      throw new PluginException(e.getMessage(), e);
    }
    return scan(dir, gateway, List.copyOf(builtIns), Map.of());
  }

  /** A set of exactly these factories, no plugin jars; {@link #rescan()} returns it unchanged (tests). */
  public static PluginSet fixed(FilterRegistry registry) {
    return new PluginSet(null, null, List.of(), List.of(), requireNonNull(registry, "registry"));
  }

  /**
   * Scans the directory again, reusing the jars of this set whose path and content are unchanged.
   * Nothing of this set is changed; jars the new set opened are closed again when the scan fails,
   * and by {@link #closeUnused()} when the caller does not adopt it.
   *
   * @return this set itself when nothing changed
   * @throws PluginException as {@link #load}
   */
  public PluginSet rescan() throws PluginException {
    if (dir == null) {
      return this;
    }
    Map<String, PluginJar> previous = new HashMap<>();
    jars.forEach(j -> previous.put(key(j.descriptor().jar(), j.descriptor().sha256()), j));
    PluginSet next = scan(dir, gateway, builtIns, previous);
    return next.jars.equals(jars) ? this : next;
  }

  private static String key(Path jar, String sha256) {
    return jar + "\n" + sha256;
  }

  private static PluginSet scan(Path dir, ClassLoader gateway, List<GatewayFilterFactory<?>> builtIns,
      Map<String, PluginJar> previous) throws PluginException {
    List<Path> files = jarFiles(dir);
    List<PluginJar> jars = new ArrayList<>();
    List<PluginJar> opened = new ArrayList<>();
    try {
      for (Path file : files) {
        String sha256 = PluginJar.sha256(file);
        PluginJar kept = previous.get(key(file, sha256));
        if (kept != null) {
          jars.add(kept);
        } else {
          PluginJar jar = PluginJar.open(file, sha256, gateway);
          opened.add(jar);
          jars.add(jar);
        }
      }
      return new PluginSet(dir, gateway, builtIns, jars, registry(builtIns, jars));
    } catch (PluginException | RuntimeException | Error e) {
      opened.forEach(PluginJar::closeIfUnused);
      throw e;
    }
  }

  private static List<Path> jarFiles(Path dir) throws PluginException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted()
          .toList();
    } catch (IOException e) {
      throw new PluginException(dir + ": cannot list the plugins directory: " + e.getMessage()
          + " (expected: a readable directory)", e);
    }
  }

  private static FilterRegistry registry(List<GatewayFilterFactory<?>> builtIns, List<PluginJar> jars)
      throws PluginException {
    FilterRegistry.Builder builder = FilterRegistry.builder().addAll(FilterOrigin.BUILT_IN, builtIns);
    try {
      for (PluginJar jar : jars) {
        builder.addAll(jar.descriptor().origin(), jar.factories());
      }
      return builder.build();
    } catch (IllegalStateException e) {
      throw new PluginException(e.getMessage() + sameContent(jars), e);
    }
  }

  // The usual cause of a clash between two plugins: one jar copied under a second name.
  private static String sameContent(List<PluginJar> jars) {
    Map<String, PluginJar> byHash = new HashMap<>();
    StringBuilder note = new StringBuilder();
    for (PluginJar jar : jars) {
      PluginJar twin = byHash.putIfAbsent(jar.descriptor().sha256(), jar);
      if (twin != null) {
        note.append("; ").append(twin).append(" and ").append(jar).append(" are the same jar (identical content)");
      }
    }
    return note.toString();
  }

  /** The built-in and plugin filter factories of this set. */
  public FilterRegistry registry() {
    return registry;
  }

  /** The plugin jars, in file-name order. */
  public List<PluginJar> jars() {
    return jars;
  }

  /** The plugins directory scanned, or null for a {@link #fixed} set. */
  public Path directory() {
    return dir;
  }

  /** One more route snapshot uses these jars. */
  public void retain() {
    jars.forEach(PluginJar::retain);
  }

  /** A route snapshot that used these jars is gone; jars nothing holds any more close. */
  public void release() {
    jars.forEach(PluginJar::release);
  }

  /**
   * Closes the jars no snapshot holds: those a refused reload opened, or all of them when the
   * process never got to serve ({@code --check}, a failed start).
   */
  public void closeUnused() {
    jars.forEach(PluginJar::closeIfUnused);
  }
}
