package io.edgeway.cli;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeway.config.ConfigError;
import io.edgeway.config.ConfigException;
import io.edgeway.config.ConfigSchema;
import io.edgeway.config.LoadedConfig;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.runtime.ConfigValidator;
import io.edgeway.runtime.Gateway;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration the repository shows a user passes the validation {@code --check} runs
 * (which is the validation start-up runs, {@link ConfigValidator}), and every invalid fixture
 * fails {@code --check} and start-up with exactly the same lines.
 *
 * <p>Valid corpus: every YAML file under config/, loadtest/scenarios/, examples/ and
 * src/test/resources/config/valid/, and every {@code ```yaml} block in README.md, docs/*.md and
 * examples' and plugins' READMEs that is a whole gateway configuration: its top-level keys are all
 * gateway sections (core or module). Blocks that are fragments of a route (top-level
 * {@code filters:}, as in docs/auth.md and docs/plugins.md) are skipped; {@link #fragments} lists
 * them so a new kind of fragment is a decision, not an accident.
 */
class ConfigCorpusTest {

  /**
   * What the scenario harness (loadtest/run.sh and the .env files) and the docs leave to the
   * environment. JWT_PUBLIC_KEY_FILE names no file: route validation must not read key files.
   * TLS_CERT and TLS_KEY (run.sh --tls) do: a listener's certificate files are read and checked
   * when the configuration is loaded, so --check reports a bad one at its key.
   */
  private static final Map<String, String> ENVIRONMENT = environment();

  private static Map<String, String> environment() {
    try {
      Path dir = Files.createTempDirectory("edgeway-corpus-tls");
      dir.toFile().deleteOnExit();
      Path[] files = io.edgeway.testing.TestCertificates.leaf(io.edgeway.testing.TestCertificates.ca("Corpus CA"), "EC",
          "localhost").write(dir, "localhost", true);
      files[0].toFile().deleteOnExit();
      files[1].toFile().deleteOnExit();
      return Map.of(
          "UPSTREAM_URL", "http://127.0.0.1:9",
          "JWT_PUBLIC_KEY_FILE", "/nonexistent/edgeway-test/jwt-pub.pem",
          "PARTNER_SECRET", "a-partner-secret-of-at-least-32-bytes",
          "TLS_CERT", files[0].toString(),
          "TLS_KEY", files[1].toString(),
          // The scratch directory of a load-test run (access-log files of accesslog-file, fullchain).
          "SCENARIO_DIR", dir.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final Pattern YAML_BLOCK = Pattern.compile("^```ya?ml[^\\n]*\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE);
  private static final Pattern TOP_LEVEL_KEY = Pattern.compile("^([A-Za-z][A-Za-z0-9-]*):", Pattern.MULTILINE);

  private static Vertx vertx;
  private static ConfigValidator validator;

  @BeforeAll
  static void setUp() {
    vertx = TestVertx.create();
    ClassLoader loader = ConfigCorpusTest.class.getClassLoader();
    validator = new ConfigValidator(FilterRegistry.discover(List.of(loader)), Gateway.discoverModules(loader));
  }

  @AfterAll
  static void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  record Document(String name, String yaml) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Document> validDocuments() throws IOException {
    List<Document> documents = new ArrayList<>();
    for (String dir : List.of("config", "loadtest/scenarios", "examples", "src/test/resources/config/valid")) {
      try (Stream<Path> files = Files.walk(Path.of(dir))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
            .filter(p -> !p.toString().contains("/target/")).sorted().toList()) {
          documents.add(new Document(file.toString(), Files.readString(file)));
        }
      }
    }
    for (Path markdown : markdownFiles()) {
      for (Document block : yamlBlocks(markdown)) {
        if (isWholeConfig(block.yaml())) {
          documents.add(block);
        }
      }
    }
    return documents.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validDocuments")
  void passesTheValidationCheckRuns(Document document) {
    assertThatCode(() -> {
      LoadedConfig loaded = validator.load(document.name(), document.yaml(), ENVIRONMENT::get);
      validator.validateRoutes(vertx, loaded);
    }).doesNotThrowAnyException();
  }

  @Test
  void theCorpusIsWhatWeThinkItIs() throws IOException {
    List<String> names = validDocuments().map(Document::name).toList();
    assertThat(names).contains("config/edgeway.yaml", "loadtest/scenarios/jwt.yaml", "loadtest/scenarios/cache.yaml",
        "loadtest/scenarios/ratelimit-cluster.yaml", "src/test/resources/config/valid/full.yaml");
    assertThat(names).filteredOn(n -> n.startsWith("README.md")).hasSizeGreaterThanOrEqualTo(5);
    assertThat(names).anyMatch(n -> n.startsWith("docs/cache.md"));
    assertThat(names).anyMatch(n -> n.startsWith("docs/auth.md")); // the jwt-providers section alone
  }

  /** The blocks skipped as fragments: only route fragments (a filters: list) so far. */
  @Test
  void fragments() throws IOException {
    Set<String> skippedKeys = new TreeSet<>();
    for (Path markdown : markdownFiles()) {
      for (Document block : yamlBlocks(markdown)) {
        if (!isWholeConfig(block.yaml())) {
          skippedKeys.addAll(topLevelKeys(block.yaml()));
        }
      }
    }
    assertThat(skippedKeys).containsExactly("filters");
  }

  static Stream<String> invalidFixtures() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/config/invalid"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList().stream();
    }
  }

  /**
   * {@code --check} and a real start ({@code Main.run} without {@code --check}) print the same
   * lines, and they are the fixture's expected ones.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFixtures")
  void checkAndStartUpReportTheSameLines(String name) throws IOException {
    Path dir = Path.of("src/test/resources/config/invalid");
    Path file = dir.resolve(name + ".yaml");
    List<String> expected = Files.readAllLines(dir.resolve(name + ".expected")).stream()
        .filter(line -> !line.isBlank())
        .map(line -> line.replace("invalid/" + name + ".yaml", file.toString()))
        .toList();

    Run check = main("--check", "--config", file.toString());
    assertThat(check.code()).as("--check exit code").isEqualTo(Main.INVALID_CONFIG);
    Run start = main("--config", file.toString()); // never starts: the config is invalid (asserted above)
    assertThat(start.code()).as("start-up exit code").isEqualTo(Main.INVALID_CONFIG);

    assertThat(check.errorLines()).containsExactlyElementsOf(expected);
    assertThat(start.errorLines()).containsExactlyElementsOf(check.errorLines());
  }

  /** Start-up through the API (Gateway.start) reports what the loader and --check report. */
  @Test
  void gatewayStartReportsRouteProblemsLikeCheck() throws Exception {
    String yaml = """
        server: { host: 127.0.0.1, port: 0, instances: 1 }
        admin: { enabled: false }
        routes:
          - id: a
            match: { path: /same/** }
            upstream: { targets: [ { url: "http://127.0.0.1:9" } ] }
          - id: b
            match: { path: /same/** }
            upstream: { targets: [ { url: "http://127.0.0.1:9" } ] }
        """;
    LoadedConfig loaded = validator.load("t.yaml", yaml, name -> null);
    ConfigException check = catchThrowableOfType(ConfigException.class, () -> validator.validateRoutes(vertx, loaded));
    Throwable start = catchThrowableOfType(Exception.class,
        () -> Gateway.start(vertx, loaded, "t.yaml").await(10, TimeUnit.SECONDS));
    assertThat(check).isNotNull();
    assertThat(start).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) start).errors()).extracting(ConfigError::toString)
        .containsExactlyElementsOf(check.errors().stream().map(ConfigError::toString).toList());
  }

  private record Run(int code, List<String> errorLines) {}

  private static Run main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> !line.startsWith("edgeway: ")) // the closing "N configuration errors" line
        .toList();
    return new Run(code, lines);
  }

  private static List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("README.md"));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    for (String dir : List.of("examples", "plugins")) {
      try (Stream<Path> found = Files.walk(Path.of(dir))) {
        found.filter(p -> p.toString().endsWith(".md")).filter(p -> !p.toString().contains("/target/")).sorted()
            .forEach(files::add);
      }
    }
    return files;
  }

  private static List<Document> yamlBlocks(Path markdown) throws IOException {
    String text = Files.readString(markdown);
    List<Document> blocks = new ArrayList<>();
    Matcher m = YAML_BLOCK.matcher(text);
    while (m.find()) {
      int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 2;
      blocks.add(new Document(markdown + " (yaml block at line " + line + ")", m.group(1)));
    }
    return blocks;
  }

  private static boolean isWholeConfig(String yaml) {
    List<String> keys = topLevelKeys(yaml);
    List<String> sections = new ArrayList<>(List.of("server", "admin", "demo-upstream", "access-log", "routes"));
    ConfigSchema.discover(ConfigCorpusTest.class.getClassLoader()).sections().forEach(s -> sections.add(s.key()));
    return !keys.isEmpty() && sections.containsAll(keys);
  }

  private static List<String> topLevelKeys(String yaml) {
    List<String> keys = new ArrayList<>();
    Matcher m = TOP_LEVEL_KEY.matcher(yaml);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }
}
