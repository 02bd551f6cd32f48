package io.edgeway.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads third-party filter jars from a directory at start-up (never on an event loop): one class
 * loader per jar, whose parent is the gateway's, so a plugin sees the SPI and its own classes but
 * not another plugin's. Factories in them are then discovered with {@code ServiceLoader} exactly
 * like the built-ins.
 */
public final class PluginLoader {
  private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);

  private PluginLoader() {}

  /**
   * One class loader per {@code *.jar} in {@code dir}, in file-name order; none when the directory
   * does not exist.
   *
   * @throws IllegalStateException when the directory cannot be listed
   */
  public static List<ClassLoader> load(Path dir, ClassLoader parent) {
    List<ClassLoader> loaders = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return loaders;
    }
    List<Path> jars;
    try (Stream<Path> files = Files.list(dir)) {
      jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("plugins: cannot list " + dir + ": " + e.getMessage(), e);
    }
    for (Path jar : jars) {
      try {
        URL url = jar.toUri().toURL();
        loaders.add(new URLClassLoader("plugin:" + jar.getFileName(), new URL[] {url}, parent));
        log.info("plugin jar {}", jar);
      } catch (MalformedURLException e) {
        throw new IllegalStateException("plugins: " + jar + ": " + e.getMessage(), e);
      }
    }
    return loaders;
  }
}
