package io.edgeway.plugin;

import io.edgeway.filter.FilterRegistry;
import io.edgeway.spi.GatewayFilterFactory;
import io.vertx.core.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded plugin jar: its descriptor, its own {@link PluginClassLoader} and the filter
 * factories it registers. The loader reads a private copy of the jar, and of its nested {@code
 * META-INF/lib/*.jar}, in a temporary directory of its own.
 *
 * <p>Reference-counted by the route snapshots compiled with it ({@link PluginSet#retain()}): the
 * last release closes the class loader and deletes the temporary directory, off the event loop.
 */
public final class PluginJar {
  private static final Logger log = LoggerFactory.getLogger(PluginJar.class);
  private static final String NESTED = "META-INF/lib/";

  private final PluginDescriptor descriptor;
  private final PluginClassLoader loader;
  private final Path privateDir;
  private final Path nestedDir;
  private final List<GatewayFilterFactory<?>> factories;
  private final AtomicInteger references = new AtomicInteger();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private PluginJar(PluginDescriptor descriptor, PluginClassLoader loader, Path privateDir, Path nestedDir,
      List<GatewayFilterFactory<?>> factories) {
    this.descriptor = descriptor;
    this.loader = loader;
    this.privateDir = privateDir;
    this.nestedDir = nestedDir;
    this.factories = List.copyOf(factories);
  }

  /**
   * Opens a plugin jar: copies it, checks its manifest, extracts nested jars, creates its class loader and
   * instantiates its factories (plugin code: call it off the event loop).
   *
   * @param sha256 the jar's content hash ({@link #sha256(Path)})
   * @throws PluginException naming the jar
   */
  static PluginJar open(Path jar, String sha256, ClassLoader gateway) throws PluginException {
    Path privateDir = null;
    PluginClassLoader loader = null;
    try {
      // The loader reads a private copy: an operator overwriting the jar in place (not an atomic
      // rename) must not corrupt the classes the running snapshot still loads from it.
      privateDir = Files.createTempDirectory("edgeway-plugin-" + safe(jar.getFileName().toString()) + "-");
      Path copy = Files.copy(jar, privateDir.resolve("plugin.jar"), StandardCopyOption.REPLACE_EXISTING);
      PluginDescriptor descriptor;
      List<URL> urls = new ArrayList<>();
      urls.add(copy.toUri().toURL());
      List<String> nested = new ArrayList<>();
      try (JarFile file = new JarFile(copy.toFile(), false)) {
        descriptor = PluginDescriptor.of(jar, file.getManifest(), sha256);
        Path lib = null;
        for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
          JarEntry entry = entries.nextElement();
          String name = entry.getName();
          if (!entry.isDirectory() && name.startsWith(NESTED) && name.endsWith(".jar")
              && name.indexOf('/', NESTED.length()) < 0) {
            lib = lib != null ? lib : Files.createDirectories(privateDir.resolve("lib"));
            Path target = lib.resolve(name.substring(NESTED.length()));
            try (InputStream in = file.getInputStream(entry)) {
              Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            nested.add(name);
            urls.add(target.toUri().toURL());
          }
        }
      } catch (IOException e) {
        throw new PluginException(jar + ": cannot read it: " + e.getMessage() + " (expected: a jar file)", e);
      }
      loader = new PluginClassLoader("plugin:" + descriptor.name(), urls, gateway);
      List<GatewayFilterFactory<?>> factories = FilterRegistry.load(loader, descriptor.origin());
      log.info("plugin {} {} from {} (SPI {}{})", descriptor.name(), descriptor.version(), jar,
          descriptor.spiVersion(), nested.isEmpty() ? "" : ", nested jars " + nested);
      return new PluginJar(descriptor, loader, privateDir, nested.isEmpty() ? null : privateDir.resolve("lib"),
          factories);
    } catch (PluginException e) {
      closeQuietly(loader, privateDir);
      throw e;
    } catch (IOException | IllegalStateException | LinkageError e) {
      closeQuietly(loader, privateDir);
      if (e instanceof IllegalStateException) {
        throw new PluginException(e.getMessage(), e);
      }
      throw new PluginException(jar + ": cannot load it: " + e + " (expected: a loadable plugin jar)", e);
    }
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The hex SHA-256 of a file's bytes. */
  static String sha256(Path file) throws PluginException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new PluginException(file + ": cannot read it: " + e.getMessage() + " (expected: a readable jar file)", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  public PluginDescriptor descriptor() {
    return descriptor;
  }

  /** The factories its {@code META-INF/services/io.edgeway.spi.GatewayFilterFactory} lists. */
  public List<GatewayFilterFactory<?>> factories() {
    return factories;
  }

  /** Its class loader (tests; the gateway reaches plugin code only through the factories). */
  public ClassLoader classLoader() {
    return loader;
  }

  /** Where its nested jars were extracted, if it has any (deleted with the private copy when it closes). */
  public java.util.Optional<Path> nestedJarDirectory() {
    return java.util.Optional.ofNullable(nestedDir);
  }

  /** Completes once the class loader is closed and the nested jars are deleted. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /** The number of route snapshots holding this jar. */
  int references() {
    return references.get();
  }

  void retain() {
    if (closing.get()) {
      throw new IllegalStateException(descriptor.jar() + ": retained after it was closed");
    }
    references.incrementAndGet();
  }

  /** Drops one reference; the last one closes the jar. */
  void release() {
    if (references.decrementAndGet() == 0) {
      close();
    }
  }

  /** Closes the jar if no snapshot holds it (a reload that did not adopt it, {@code --check}). */
  void closeIfUnused() {
    if (references.get() == 0) {
      close();
    }
  }

  private void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    // The last request of a retired snapshot may release it on an event loop: file work goes elsewhere.
    if (Context.isOnEventLoopThread()) {
      ForkJoinPool.commonPool().execute(this::closeNow);
    } else {
      closeNow();
    }
  }

  private void closeNow() {
    closeQuietly(loader, privateDir);
    log.info("plugin {} {} from {}: class loader closed", descriptor.name(), descriptor.version(), descriptor.jar());
    closed.complete(null);
  }

  private static void closeQuietly(PluginClassLoader loader, Path privateDir) {
    if (loader != null) {
      try {
        loader.close();
      } catch (IOException e) {
        log.warn("plugin class loader {} did not close cleanly: {}", loader.getName(), e.toString());
      }
    }
    if (privateDir != null) {
      try (Stream<Path> files = Files.walk(privateDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        log.warn("cannot delete the plugin's private copy in {}: {}", privateDir, e.toString());
      }
    }
  }

  @Override
  public String toString() {
    return descriptor.jar().toString();
  }

}
