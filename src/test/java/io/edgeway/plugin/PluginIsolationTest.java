package io.edgeway.plugin;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.edgeway.runtime.Gateway;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.testing.OnContext;
import io.edgeway.testing.PluginJarBuilder;
import io.edgeway.testing.TestPlugins;
import io.edgeway.testing.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each plugin jar has its own class loader: it sees the SPI, Vert.x core and SLF4J of the gateway,
 * the JDK, and otherwise only its own classes (shaded or nested), never the gateway's internals or
 * third-party libraries.
 */
class PluginIsolationTest {
  private static final String GREETING = """
      package com.example.lib;
      public final class Greeting {
        public static String text() { return "%s"; }
      }
      """;

  @TempDir
  Path dir;

  /**
   * Two plugins bundle two versions of one library class, one shaded into its jar, the other as a
   * nested jar; on one gateway, each route's upstream receives its plugin's version.
   */
  @Test
  void twoPluginsUseTheirOwnVersionOfOneLibrary() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJarBuilder.in(dir)
        .source("com.example.lib.Greeting", GREETING.formatted("v1"))
        .source("com.example.a.GreetA", PluginJarBuilder.headerFactory("com.example.a.GreetA", "greet-a",
            "X-Greeting", "com.example.lib.Greeting.text()"))
        .factory("com.example.a.GreetA")
        .build(plugins.resolve("greet-a.jar"));
    Path libV2 = PluginJarBuilder.in(dir).source("com.example.lib.Greeting", GREETING.formatted("v2"))
        .build(dir.resolve("greeting-2.0.jar"));
    PluginJarBuilder.in(dir)
        .nested("greeting-2.0.jar", libV2)
        .source("com.example.b.GreetB", PluginJarBuilder.headerFactory("com.example.b.GreetB", "greet-b",
            "X-Greeting", "com.example.lib.Greeting.text()"))
        .factory("com.example.b.GreetB")
        .build(plugins.resolve("greet-b.jar"));

    Vertx vertx = TestVertx.create();
    try (TestUpstream upstream = TestUpstream.start(vertx)) {
      Path config = TestPlugins.config(dir.resolve("edgeway.yaml"), """
          routes:
            - id: a
              match: { path: /a/** }
              upstream: { targets: [ { url: "%1$s" } ] }
              filters: [ { greet-a: {} } ]
            - id: b
              match: { path: /b/** }
              upstream: { targets: [ { url: "%1$s" } ] }
              filters: [ { greet-b: {} } ]
          """.formatted(upstream.url()));
      Gateway gateway = TestPlugins.start(vertx, config, plugins);
      PluginJar nested = gateway.reloader().plugins().jars().get(1);
      try {
        assertThat(get(vertx, gateway, "/a/x")).isEqualTo(200);
        assertThat(upstream.last().uri()).isEqualTo("/a/x");
        assertThat(upstream.last().headers().getAll("X-Greeting")).containsExactly("v1");
        assertThat(get(vertx, gateway, "/b/x")).isEqualTo(200);
        assertThat(upstream.last().uri()).isEqualTo("/b/x");
        assertThat(upstream.last().headers().getAll("X-Greeting")).containsExactly("v2");
        assertThat(nested.descriptor().name()).isEqualTo("greet-b");
        assertThat(nested.nestedJarDirectory()).isPresent();
        assertThat(nested.nestedJarDirectory().get().resolve("greeting-2.0.jar")).exists();
        assertThat(nested.closed()).isNotDone();
      } finally {
        gateway.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
      }
      // Stopping releases the last snapshot: loaders close, extracted nested jars are deleted.
      nested.closed().get(10, TimeUnit.SECONDS);
      assertThat(nested.nestedJarDirectory().get()).doesNotExist();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  static int get(Vertx vertx, Gateway gateway, String path) throws Exception {
    return OnContext.await(vertx, () -> vertx.createHttpClient()
        .request(HttpMethod.GET, gateway.port(), "127.0.0.1", path)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode())), 10);
  }

  @Test
  void aPluginSeesOnlyTheSpiVertxCoreSlf4jTheJdkAndItsOwnClasses() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    TestPlugins.stamp(dir, "probe")
        .source("com.example.probe.Probe", """
            package com.example.probe;
            public final class Probe {
              public static Class<?> load(String name) throws ClassNotFoundException {
                return Class.forName(name); // resolved by the plugin's own class loader
              }
            }
            """)
        // Its own copy of a class the gateway also has: the plugin must get this one.
        .source("com.github.benmanes.caffeine.cache.Caffeine", """
            package com.github.benmanes.caffeine.cache;
            public final class Caffeine { public static String whose() { return "the plugin's"; } }
            """)
        .build(plugins.resolve("probe.jar"));
    PluginSet set = PluginSet.load(plugins, getClass().getClassLoader());
    try {
      ClassLoader loader = set.jars().get(0).classLoader();
      Method load = loader.loadClass("com.example.probe.Probe").getMethod("load", String.class);

      for (String internal : List.of("io.edgeway.proxy.Upstream", "io.edgeway.runtime.Gateway",
          "io.edgeway.plugin.PluginSet", "io.edgeway.filter.FilterRegistry", "io.netty.buffer.ByteBuf",
          "com.fasterxml.jackson.core.JsonFactory", "ch.qos.logback.classic.Logger",
          "org.snakeyaml.engine.v2.api.Load", "com.github.benmanes.caffeine.cache.Cache")) {
        Throwable failure = catchThrowable(() -> load.invoke(null, internal));
        assertThat(failure).as(internal).isInstanceOf(InvocationTargetException.class);
        assertThat(failure.getCause()).as(internal).isInstanceOf(ClassNotFoundException.class);
      }
      for (Class<?> shared : List.of(GatewayFilter.class, io.vertx.core.Vertx.class,
          io.vertx.core.json.JsonObject.class, org.slf4j.LoggerFactory.class)) {
        assertThat(load.invoke(null, shared.getName())).as(shared.getName()).isSameAs(shared);
      }
      assertThat(load.invoke(null, "java.sql.Connection")).isSameAs(java.sql.Connection.class);
      Class<?> ownCaffeine = (Class<?>) load.invoke(null, "com.github.benmanes.caffeine.cache.Caffeine");
      assertThat(ownCaffeine).isNotSameAs(com.github.benmanes.caffeine.cache.Caffeine.class);
      assertThat(ownCaffeine.getClassLoader()).isSameAs(loader);
      assertThat(ownCaffeine.getMethod("whose").invoke(null)).isEqualTo("the plugin's");

      // Resources alike: its services file lists its own factories only, never the built-ins.
      List<URL> services = Collections.list(
          loader.getResources("META-INF/services/io.edgeway.spi.GatewayFilterFactory"));
      assertThat(services).hasSize(1);
      assertThat(services.get(0).toString()).contains("probe.jar");
      assertThat(loader.getResource("io/edgeway/proxy/Upstream.class")).isNull();
      assertThat(loader.getResource("logback-test.xml")).isNull();
      assertThat(set.jars().get(0).factories()).hasSize(1);
      assertThat(set.registry().entry("stamp").orElseThrow().origin().jar())
          .isEqualTo(plugins.resolve("probe.jar").toString());
      assertThat(set.registry().entry("cors").orElseThrow().origin().isBuiltIn()).isTrue();
    } finally {
      set.closeUnused();
    }
    set.jars().get(0).closed().get(10, TimeUnit.SECONDS);
  }
}
