package io.edgeway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layer-2 config tests: each {@code config/invalid/NAME.yaml} must fail with exactly the lines in
 * {@code NAME.expected}, in file order.
 */
class InvalidConfigTest {

  private static final Map<String, String> ENVIRONMENT = Map.of("UPSTREAM_URL", "http://127.0.0.1:9001");

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

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void fixtureFailsWithExactlyTheExpectedLines(String name) throws IOException {
    Path dir = invalidDirectory();
    String yaml = Files.readString(dir.resolve(name + ".yaml"), StandardCharsets.UTF_8);
    List<String> expected = Files.readAllLines(dir.resolve(name + ".expected"), StandardCharsets.UTF_8).stream()
        .filter(line -> !line.isBlank())
        .toList();

    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.load("invalid/" + name + ".yaml", yaml, ENVIRONMENT::get));

    assertThat(e).as("loading %s must fail", name).isNotNull();
    assertThat(e.errors()).extracting(ConfigError::toString).containsExactlyElementsOf(expected);
    assertThat(e.getMessage()).isEqualTo(String.join("\n", expected));
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
