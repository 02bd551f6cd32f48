package io.edgeway.config;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.ConfigValidator;
import io.edgeway.runtime.Gateway;
import io.edgeway.runtime.GatewayModule;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layer-2 config tests: each {@code config/invalid/NAME.yaml} must fail {@code --check} and
 * start-up alike with exactly the lines in {@code NAME.expected}, in file order.
 */
class InvalidConfigTest {

  private static final Map<String, String> ENVIRONMENT = Map.of("UPSTREAM_URL", "http://127.0.0.1:9001");
  private static final ClassLoader LOADER = InvalidConfigTest.class.getClassLoader();

  private static Vertx vertx;
  private static FilterRegistry registry;
  private static List<GatewayModule> modules;
  private static ConfigValidator validator;

  @BeforeAll
  static void setUp() {
    vertx = TestVertx.create();
    registry = FilterRegistry.discover(List.of(LOADER));
    modules = Gateway.discoverModules(LOADER);
    validator = new ConfigValidator(registry, modules);
  }

  @AfterAll
  static void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static Path invalidDirectory() {
    try {
      return Path.of(InvalidConfigTest.class.getResource("/config/invalid").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<String> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(invalidDirectory())) {
      return files.map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(".yaml"))
          .map(name -> name.substring(0, name.length() - ".yaml".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  /**
   * {@code --check} (the validator's two steps, as {@code Main} runs them) fails with exactly the
   * expected lines, and start-up ({@link Gateway#start}, after the same load) with the same ones.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void checkAndStartUpFailWithExactlyTheExpectedLines(String name) throws Exception {
    Path dir = invalidDirectory();
    String source = "invalid/" + name + ".yaml";
    String yaml = Files.readString(dir.resolve(name + ".yaml"), StandardCharsets.UTF_8);
    List<String> expected = Files.readAllLines(dir.resolve(name + ".expected"), StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank())
        .toList();

    ConfigException check = catchThrowableOfType(ConfigException.class, () -> {
      LoadedConfig loaded = validator.load(source, yaml, ENVIRONMENT::get);
      validator.validateRoutes(vertx, loaded);
    });
    ConfigException startUp = catchThrowableOfType(ConfigException.class, () -> {
      LoadedConfig loaded = validator.load(source, yaml, ENVIRONMENT::get);
      try {
        Gateway.start(vertx, loaded, source, registry, modules).await(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw e.getCause() instanceof ConfigException c ? c : e;
      }
    });

    assertThat(check).as("--check of %s must fail", name).isNotNull();
    assertThat(check.errors()).extracting(ConfigError::toString).containsExactlyElementsOf(expected);
    assertThat(check.getMessage()).isEqualTo(String.join("\n", expected));
    assertThat(startUp).as("start-up with %s must fail", name).isNotNull();
    assertThat(startUp.errors()).extracting(ConfigError::toString).containsExactlyElementsOf(expected);
  }

  @Test
  void everyFixtureHasItsExpectation() throws IOException {
    List<String> names = fixtures().toList();
    assertThat(names).hasSizeGreaterThanOrEqualTo(15);
    for (String name : names) {
      assertThat(invalidDirectory().resolve(name + ".expected")).as(name).exists();
    }
  }
}
