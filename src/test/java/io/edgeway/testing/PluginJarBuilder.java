package io.edgeway.testing;

import io.edgeway.spi.SpiVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars at test time: compiles Java sources with the system compiler against the test
 * class path (so against the SPI, Vert.x core and SLF4J), and writes a jar with a manifest, a
 * {@code META-INF/services/io.edgeway.spi.GatewayFilterFactory} file and optional nested jars
 * under {@code META-INF/lib/}. Without a call to {@link #spiVersion}, the manifest declares
 * {@link SpiVersion#CURRENT}; {@code spiVersion(null)} leaves it out.
 */
public final class PluginJarBuilder {
  private final Path work;
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final List<String> factories = new ArrayList<>();
  private final Map<String, String> manifest = new LinkedHashMap<>();
  private final Map<String, Path> nested = new LinkedHashMap<>();
  private final List<Path> classPath = new ArrayList<>();

  private PluginJarBuilder(Path work) {
    this.work = work;
    manifest.put(SpiVersion.MANIFEST_ATTRIBUTE, SpiVersion.CURRENT);
  }

  /** A builder compiling in a fresh directory under {@code work}. */
  public static PluginJarBuilder in(Path work) {
    return new PluginJarBuilder(work);
  }

  /** Adds a source file; {@code className} is fully qualified. */
  public PluginJarBuilder source(String className, String code) {
    sources.put(className, code);
    return this;
  }

  /** Lists a factory class in the services file. */
  public PluginJarBuilder factory(String className) {
    factories.add(className);
    return this;
  }

  /** The {@code Edgeway-Spi-Version} to declare; null declares none. */
  public PluginJarBuilder spiVersion(String version) {
    return attribute(SpiVersion.MANIFEST_ATTRIBUTE, version);
  }

  /** Any main manifest attribute; null removes it. */
  public PluginJarBuilder attribute(String name, String value) {
    if (value == null) {
      manifest.remove(name);
    } else {
      manifest.put(name, value);
    }
    return this;
  }

  /** Nests {@code jar} as {@code META-INF/lib/NAME} and compiles the sources against it. */
  public PluginJarBuilder nested(String name, Path jar) {
    nested.put(name, jar);
    classPath.add(jar);
    return this;
  }

  /** Compiles and writes the jar; returns {@code jar}. */
  public Path build(Path jar) throws IOException {
    Path dir = Files.createTempDirectory(work, "plugin-build-");
    Path src = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp",
        System.getProperty("java.class.path") + classPath.stream().map(p -> java.io.File.pathSeparator + p)
            .reduce("", String::concat)));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      args.add(file.toString());
    }
    if (!sources.isEmpty()) {
      JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
      ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
      int rc = compiler.run(null, null, new PrintStream(diagnostics, true, StandardCharsets.UTF_8),
          args.toArray(String[]::new));
      if (rc != 0) {
        throw new IllegalStateException("plugin sources do not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));
      }
    }
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.forEach((k, v) -> mf.getMainAttributes().put(new Attributes.Name(k), v));
    Files.createDirectories(jar.toAbsolutePath().getParent());
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
      if (!factories.isEmpty()) {
        out.putNextEntry(new JarEntry("META-INF/services/io.edgeway.spi.GatewayFilterFactory"));
        out.write((String.join("\n", factories) + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
      for (Map.Entry<String, Path> lib : nested.entrySet()) {
        out.putNextEntry(new JarEntry("META-INF/lib/" + lib.getKey()));
        Files.copy(lib.getValue(), out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /**
   * The source of a TRANSFORM factory named {@code filterName} in {@code className} that sets the
   * request header {@code header} to what {@code expression} (Java, evaluated in {@code create()})
   * gives, so the upstream sees it.
   */
  public static String headerFactory(String className, String filterName, String header, String expression) {
    int dot = className.lastIndexOf('.');
    return """
        package %s;
        import io.edgeway.spi.*;
        public final class %s implements GatewayFilterFactory<%s.Config> {
          public record Config(String unused) {}
          public String name() { return "%s"; }
          public Stage stage() { return Stage.TRANSFORM; }
          public Class<Config> configType() { return Config.class; }
          public GatewayFilter create(Config config, FilterContext context) {
            String value = %s;
            return (exchange, chain) -> {
              exchange.request().headers().set("%s", value);
              return chain.proceed(exchange);
            };
          }
        }
        """.formatted(className.substring(0, dot), className.substring(dot + 1), className.substring(dot + 1),
        filterName, expression, header);
  }
}
