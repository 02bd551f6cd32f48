package io.edgeway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.spi.SpiVersion;
import io.edgeway.testing.PluginJarBuilder;
import io.edgeway.testing.TestPlugins;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars that cannot be used fail {@code --check} and start-up alike with exit code 2 and one
 * line naming the jar (and the other jar, for a clash); a factory's own failure keeps its message
 * and never reaches stderr as a stack trace.
 */
class PluginCliTest {
  @TempDir
  Path dir;

  private Path plugins;
  private Path config;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    plugins = Files.createDirectories(dir.resolve("plugins"));
    config = TestPlugins.config(dir.resolve("edgeway.yaml"), """
        routes:
          - id: plain
            match: { path: /plain/** }
            upstream: { targets: [ { url: "http://127.0.0.1:1" } ] }
        """);
  }

  private int run(boolean check) {
    out.reset();
    err.reset();
    String[] args = check
        ? new String[] {"--check", "--config", config.toString(), "--plugins", plugins.toString()}
        : new String[] {"--config", config.toString(), "--plugins", plugins.toString()};
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Both --check and start-up exit 2 with exactly this one line on stderr. */
  private void failsBothWays(String line) {
    for (boolean check : new boolean[] {true, false}) {
      assertThat(run(check)).as(check ? "--check" : "start-up").isEqualTo(Main.INVALID_CONFIG);
      assertThat(stderr()).as(check ? "--check" : "start-up").isEqualTo("edgeway: " + line + System.lineSeparator());
    }
  }

  @Test
  void aJarWithoutSpiVersionIsRefused() throws Exception {
    Path jar = TestPlugins.stamp(dir, "x").spiVersion(null).build(plugins.resolve("ip-filter.jar"));
    failsBothWays(jar + ": Edgeway-Spi-Version: missing from META-INF/MANIFEST.MF (expected: the Edgeway SPI "
        + "version the plugin was built for, e.g. 1.0.0)");
  }

  @Test
  void aJarBuiltForAnotherMajorVersionIsRefused() throws Exception {
    Path jar = TestPlugins.stamp(dir, "x").spiVersion("2.0.0").build(plugins.resolve("ip-filter.jar"));
    failsBothWays(jar + ": built for Edgeway SPI 2.0.0; this gateway provides 1.0.0 (expected: 1.0 or older 1.x)");
  }

  @Test
  void aJarBuiltForANewerMinorVersionIsRefused() throws Exception {
    Path jar = TestPlugins.stamp(dir, "x").spiVersion("1.1.0").build(plugins.resolve("ip-filter.jar"));
    failsBothWays(jar + ": built for Edgeway SPI 1.1.0; this gateway provides 1.0.0 (expected: 1.0 or older 1.x)");
  }

  @Test
  void aMalformedSpiVersionIsRefused() throws Exception {
    Path jar = TestPlugins.stamp(dir, "x").spiVersion("one").build(plugins.resolve("ip-filter.jar"));
    failsBothWays(jar + ": Edgeway-Spi-Version: one (expected: a version such as 1.0.0)");
  }

  @Test
  void anOlderPatchOfTheSameMinorIsAccepted() throws Exception {
    assertThat(SpiVersion.CURRENT).isEqualTo("1.0.0");
    TestPlugins.stamp(dir, "x").spiVersion("1.0.7").build(plugins.resolve("ip-filter.jar"));
    assertThat(run(true)).as(stderr()).isEqualTo(Main.OK);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("configuration OK");
  }

  @Test
  void twoPluginsClaimingOneFilterNameAreNamedBoth() throws Exception {
    Path a = TestPlugins.stamp(dir, "one").build(plugins.resolve("a.jar"));
    Path b = TestPlugins.stamp(dir, "two").build(plugins.resolve("b.jar"));
    failsBothWays("filter name 'stamp' is claimed by both " + a + " (com.example.stamp.StampFactory) and " + b
        + " (com.example.stamp.StampFactory) (expected: one factory per filter name)");
  }

  @Test
  void aPluginClaimingABuiltInNameIsRefusedNamingTheBuiltIn() throws Exception {
    Path jar = TestPlugins.named(dir, "cors").build(plugins.resolve("my-cors.jar"));
    failsBothWays("filter name 'cors' is claimed by both built-in (io.edgeway.cors.CorsFilterFactory) and " + jar
        + " (com.example.cors.Factory) (expected: one factory per filter name)");
  }

  @Test
  void theSameJarTwiceUnderTwoNamesIsAClash() throws Exception {
    Path a = TestPlugins.stamp(dir, "one").build(plugins.resolve("stamp-1.0.jar"));
    Path b = Files.copy(a, plugins.resolve("stamp.jar"));
    failsBothWays("filter name 'stamp' is claimed by both " + a + " (com.example.stamp.StampFactory) and " + b
        + " (com.example.stamp.StampFactory) (expected: one factory per filter name); " + a + " and " + b
        + " are the same jar (identical content)");
  }

  @Test
  void aFactoryConstructorThatThrowsIsReportedWithTheJarAndItsMessage() throws Exception {
    Path jar = TestPlugins.throwing(dir, true, "licence key missing").build(plugins.resolve("explode.jar"));
    for (boolean check : new boolean[] {true, false}) {
      assertThat(run(check)).isEqualTo(Main.INVALID_CONFIG);
      assertThat(stderr()).startsWith("edgeway: " + jar + ": cannot load its filter factories: ")
          .contains("com.example.explode.ExplodeFactory could not be instantiated")
          .contains("java.lang.IllegalStateException: licence key missing")
          .doesNotContain("\tat ");
      assertThat(stderr().lines()).hasSize(1);
    }
  }

  @Test
  void aCreateThatThrowsFailsAtTheFilterNamingThePluginWithoutAStackTrace() throws Exception {
    Path jar = TestPlugins.throwing(dir, false, "no licence for this route")
        .attribute(SpiVersion.PLUGIN_NAME_ATTRIBUTE, "exploder")
        .attribute(SpiVersion.PLUGIN_VERSION_ATTRIBUTE, "2.3.1")
        .build(plugins.resolve("explode.jar"));
    TestPlugins.config(config, """
        routes:
          - id: boom
            match: { path: /boom/** }
            upstream: { targets: [ { url: "http://127.0.0.1:1" } ] }
            filters:
              - explode: {}
        """);
    for (boolean check : new boolean[] {true, false}) {
      assertThat(run(check)).as(check ? "--check" : "start-up").isEqualTo(Main.INVALID_CONFIG);
      assertThat(stderr()).as(check ? "--check" : "start-up")
          .contains(config + ":8:18: routes[0].filters[0].explode: the 'explode' filter of plugin exploder 2.3.1 ("
              + jar + ") could not be created: java.lang.IllegalStateException: no licence for this route")
          .contains("edgeway: 1 configuration error")
          .doesNotContain("\tat ");
    }
  }
}
