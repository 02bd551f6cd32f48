package io.edgeway.plugin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * One plugin jar's class loader. From the gateway it exposes only the SPI ({@code io.edgeway.spi}),
 * the Vert.x core API ({@code io.vertx.core}) and SLF4J ({@code org.slf4j}): the types a filter
 * shares with the gateway. The JDK comes from the platform class loader. Everything else comes
 * from the plugin's own jar and its nested jars, child-first, and nowhere else: a plugin bundling
 * its own Jackson, Caffeine or Netty gets its copy, and cannot reach the gateway's internals or
 * third-party libraries at all ({@link ClassNotFoundException}).
 *
 * <p>Resources follow the same rule, so a plugin's {@code META-INF/services} lists only its own
 * factories (never the gateway's built-ins seen through a parent).
 */
final class PluginClassLoader extends URLClassLoader {
  /** Packages (and their subpackages) the gateway shares with plugins. */
  static final List<String> SHARED_PACKAGES = List.of("io.edgeway.spi.", "io.vertx.core.", "org.slf4j.");

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader gateway;
  private final ClassLoader platform;

  /**
   * @param name shown in stack traces ({@code plugin:NAME})
   * @param urls the plugin jar first, then its extracted nested jars
   * @param gateway the gateway's class loader, asked only for the shared packages
   */
  PluginClassLoader(String name, List<URL> urls, ClassLoader gateway) {
    super(name, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    this.gateway = requireNonNull(gateway, "gateway");
    this.platform = ClassLoader.getPlatformClassLoader();
  }

  static boolean isShared(String className) {
    for (String prefix : SHARED_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSharedResource(String path) {
    return isShared(path.replace('/', '.'));
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (isShared(name)) {
      // The gateway's copy always: a plugin that shaded the SPI must still see the gateway's types.
      return gateway.loadClass(name);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        try {
          c = platform.loadClass(name);
        } catch (ClassNotFoundException notJdk) {
          c = findClass(name); // its own jar and nested jars; throws ClassNotFoundException otherwise
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  @Override
  public URL getResource(String name) {
    if (isSharedResource(name)) {
      return gateway.getResource(name);
    }
    URL own = findResource(name);
    return own != null ? own : platform.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    if (isSharedResource(name)) {
      return gateway.getResources(name);
    }
    List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
    urls.addAll(Collections.list(platform.getResources(name)));
    return Collections.enumeration(urls);
  }
}
