package io.edgeway.testing;

import io.edgeway.config.ConfigLoader;
import io.edgeway.config.LoadedConfig;
import io.edgeway.plugin.PluginSet;
import io.edgeway.runtime.ConfigOrigin;
import io.edgeway.runtime.Gateway;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Vertx;

/** Plugin jars the plugin tests share, built with {@link PluginJarBuilder}, and a gateway that loads them. */
public final class TestPlugins {
  private TestPlugins() {}

  /**
   * A plugin whose {@code stamp} filter (TRANSFORM) sets the request header {@code X-Stamp} to
   * {@code value}, so two builds with different values are two versions of one plugin.
   */
  public static PluginJarBuilder stamp(Path work, String value) {
    return PluginJarBuilder.in(work)
        .source("com.example.stamp.StampFactory",
            PluginJarBuilder.headerFactory("com.example.stamp.StampFactory", "stamp", "X-Stamp", "\"" + value + "\""))
        .factory("com.example.stamp.StampFactory");
  }

  /** A plugin with one filter {@code name} in class {@code com.example.NAME.Factory} (no behaviour of note). */
  public static PluginJarBuilder named(Path work, String name) {
    String pkg = "com.example." + name.replace("-", "");
    return PluginJarBuilder.in(work)
        .source(pkg + ".Factory", PluginJarBuilder.headerFactory(pkg + ".Factory", name, "X-" + name, "\"" + name + "\""))
        .factory(pkg + ".Factory");
  }

  /** A plugin {@code explode} whose factory's constructor or {@code create()} throws with {@code message}. */
  public static PluginJarBuilder throwing(Path work, boolean inConstructor, String message) {
    String source = """
        package com.example.explode;
        import io.edgeway.spi.*;
        public final class ExplodeFactory implements GatewayFilterFactory<ExplodeFactory.Config> {
          public record Config(String unused) {}
          public ExplodeFactory() { if (%s) throw new IllegalStateException("%s"); }
          public String name() { return "explode"; }
          public Stage stage() { return Stage.TRANSFORM; }
          public Class<Config> configType() { return Config.class; }
          public GatewayFilter create(Config config, FilterContext context) {
            throw new IllegalStateException("%s");
          }
        }
        """.formatted(inConstructor, message, message);
    return PluginJarBuilder.in(work).source("com.example.explode.ExplodeFactory", source)
        .factory("com.example.explode.ExplodeFactory");
  }

  /** Loads {@code plugins} and starts a gateway from {@code file} (reloadable) with them. */
  public static Gateway start(Vertx vertx, Path file, Path plugins) throws Exception {
    String text = ConfigLoader.readText(file);
    PluginSet set = PluginSet.load(plugins, TestPlugins.class.getClassLoader());
    LoadedConfig loaded = new io.edgeway.runtime.ConfigValidator(set.registry(),
        Gateway.discoverModules(TestPlugins.class.getClassLoader())).load(file.toString(), text, name -> null);
    return Gateway.start(vertx, loaded, ConfigOrigin.ofFile(file, text), set,
        Gateway.discoverModules(TestPlugins.class.getClassLoader())).await(30, TimeUnit.SECONDS);
  }

  /** Writes {@code routes} YAML under a loopback server and admin section on port 0. */
  public static Path config(Path file, String routes) throws IOException {
    java.nio.file.Files.writeString(file, """
        server: { host: 127.0.0.1, port: 0, instances: 1, reload: { watch: false } }
        admin: { host: 127.0.0.1, port: 0 }
        """ + routes);
    return file;
  }
}
