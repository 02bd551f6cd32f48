package io.edgeway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.Gateway;
import io.edgeway.spi.DataSize;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md cannot drift from the code: every key the config records accept (core
 * sections, module sections, filter configs; see {@link ConfigKeys}) has a row there, every row
 * names a key that exists, and where a default can be derived (the record built with the key
 * absent) the row's default column shows it. When this fails after adding a key, the list the
 * code derives is in {@code target/config-keys.tsv} (key, tab, default).
 */
class ConfigReferenceTest {
  private static final Path REFERENCE = Path.of("docs/configuration.md");
  /** A row: {@code | `key.path` | default | meaning |}. */
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| ([^|]*) \\|");
  /**
   * Defaults that depend on the machine or that the record computes from other keys: the row
   * explains them in words.
   */
  private static final Set<String> DESCRIBED_DEFAULTS = Set.of("server.instances", "events.kafka.producer",
      "events.source");

  private static Map<String, ConfigKeys.Key> derived;
  private static Map<String, String> documented;

  @BeforeAll
  static void load() throws Exception {
    ClassLoader loader = ConfigReferenceTest.class.getClassLoader();
    derived = ConfigKeys.of(Gateway.discoverModules(loader), FilterRegistry.discover(List.of(loader)));
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target/config-keys.tsv"), ConfigKeys.describe(derived), StandardCharsets.UTF_8);
    documented = new LinkedHashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line);
      if (m.find() && documented.put(m.group(1), m.group(2).trim()) != null) {
        duplicates.add(m.group(1));
      }
    }
    assertThat(duplicates).as("keys documented twice in " + REFERENCE).isEmpty();
  }

  @Test
  void theWalkFindsTheSectionsOfTheCoreTheModulesAndTheFilters() {
    assertThat(derived).containsKeys("server.port", "server.limits.max-body-size", "admin.token",
        "routes[].upstream.targets[].url", "jwt-providers.*.issuer", "rate-limit-store.redis.url", "cache.max-size",
        "events.journal.dir", "routes[].filters[].rate-limit.limits[].capacity", "routes[].filters[].cors.allow-origins");
    assertThat(derived.get("server.port").defaultValue()).hasValue("8080");
    assertThat(derived.get("routes[].upstream.targets[].url").defaultValue()).as("required: no default").isEmpty();
  }

  @Test
  void everyKeyIsDocumented() {
    Set<String> missing = new TreeSet<>(derived.keySet());
    missing.removeAll(documented.keySet());
    assertThat(missing).as("keys the config records accept but " + REFERENCE + " does not list "
        + "(see target/config-keys.tsv)").isEmpty();
  }

  @Test
  void everyDocumentedKeyExists() {
    Set<String> unknown = new TreeSet<>(documented.keySet());
    unknown.removeAll(derived.keySet());
    assertThat(unknown).as("keys " + REFERENCE + " lists but no config record accepts").isEmpty();
  }

  @Test
  void everyDerivableDefaultIsTheDocumentedOne() {
    List<String> wrong = new ArrayList<>();
    for (ConfigKeys.Key key : derived.values()) {
      String cell = documented.get(key.path());
      if (cell == null || DESCRIBED_DEFAULTS.contains(key.path()) || key.defaultValue().isEmpty()) {
        continue;
      }
      String value = key.defaultValue().get();
      boolean shown = value.equals("none") ? cell.contains("none") || cell.contains("—")
          : backticked(cell).stream().anyMatch(v -> v.equals(value) || normalized(v).equals(value));
      if (!shown) {
        wrong.add(key.path() + ": documented '" + cell + "', the code's default is `" + value + "`");
      }
    }
    assertThat(wrong).as("defaults in " + REFERENCE).isEmpty();
    for (Map.Entry<String, String> row : documented.entrySet()) {
      assertThat(row.getValue()).as("default column of " + row.getKey()).isNotBlank();
    }
  }

  private static List<String> backticked(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("`([^`]*)`").matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** A documented value as the code's default is formatted: {@code 60s} and {@code 1m} are one duration. */
  private static String normalized(String text) {
    try {
      return ConfigKeys.format(ScalarParsers.parseDuration(text));
    } catch (RuntimeException notADuration) {
      // fall through
    }
    try {
      return ConfigKeys.format(DataSize.parse(text));
    } catch (RuntimeException notASize) {
      // fall through
    }
    if (text.startsWith("[") && text.endsWith("]")) {
      // A list of numbers as Java prints its doubles: 0.0005 is 5.0E-4, 1 is 1.0.
      try {
        return java.util.Arrays.stream(text.substring(1, text.length() - 1).split(","))
            .map(n -> String.valueOf(Double.parseDouble(n.trim())))
            .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
      } catch (NumberFormatException notNumbers) {
        return text;
      }
    }
    return text;
  }
}
