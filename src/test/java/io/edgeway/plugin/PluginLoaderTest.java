package io.edgeway.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.ConfigLoader;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.Gateway;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party filter compiled against the SPI only, packaged as a jar in a plugins directory,
 * is discovered like a built-in and runs in a route.
 */
class PluginLoaderTest {
  private static final String SOURCE = """
      package com.example;
      import io.edgeway.spi.*;
      public final class StampFactory implements GatewayFilterFactory<StampFactory.Config> {
        public record Config(String value) {
          public Config { value = value == null ? "stamped" : value; }
        }
        public String name() { return "stamp"; }
        public Stage stage() { return Stage.TRANSFORM; }
        public Class<Config> configType() { return Config.class; }
        public GatewayFilter create(Config config, FilterContext context) {
          return (exchange, chain) -> chain.proceed(exchange).map(response -> {
            response.headers().set("X-Stamp", config.value());
            return response;
          });
        }
      }
      """;

  @TempDir
  Path dir;

  @Test
  void pluginJarIsDiscoveredAndItsFilterRuns() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    buildPluginJar(plugins.resolve("stamp-plugin.jar"));

    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(getClass().getClassLoader());
    loaders.addAll(PluginLoader.load(plugins, getClass().getClassLoader()));
    FilterRegistry registry = FilterRegistry.discover(loaders);
    assertThat(registry.names()).contains("stamp", "cors", "request-headers");

    Vertx vertx = Vertx.vertx();
    try (TestUpstream upstream = TestUpstream.start(vertx)) {
      var loaded = ConfigLoader.load("plugin-test.yaml", """
          server: { host: 127.0.0.1, port: 0, instances: 1 }
          admin: { enabled: false }
          routes:
            - id: r
              match: { path: /r/** }
              upstream: { targets: [ { url: "%s" } ] }
              filters:
                - stamp: { value: from-plugin }
          """.formatted(upstream.url()));
      Gateway gateway = Gateway.start(vertx, loaded, "plugin-test.yaml", registry, List.of())
          .await(20, TimeUnit.SECONDS);
      String stamp = OnContext.await(vertx, () -> vertx.createHttpClient()
          .request(HttpMethod.GET, gateway.port(), "127.0.0.1", "/r/x")
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(b -> resp.getHeader("X-Stamp"))), 10);
      assertThat(stamp).isEqualTo("from-plugin");
      gateway.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void missingDirectoryMeansNoPlugins() {
    assertThat(PluginLoader.load(dir.resolve("absent"), getClass().getClassLoader())).isEmpty();
  }

  private void buildPluginJar(Path jar) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/com/example"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Files.writeString(src.resolve("StampFactory.java"), SOURCE);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int rc = compiler.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        src.resolve("StampFactory.java").toString());
    assertThat(rc).as("plugin compiles against the SPI").isZero();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      try (var files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
      out.putNextEntry(new JarEntry("META-INF/services/io.edgeway.spi.GatewayFilterFactory"));
      OutputStream entry = out;
      entry.write("com.example.StampFactory\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
  }
}
