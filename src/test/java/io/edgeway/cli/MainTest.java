package io.edgeway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes and what an operator sees. */
class MainTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void checkAcceptsTheShippedDefaultConfiguration() {
    assertThat(run("--check", "--config", "config/edgeway.yaml")).isEqualTo(Main.OK);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("configuration OK (1 routes)");
  }

  @Test
  void checkPrintsEveryErrorCompilerStyleAndExitsWith2() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        server:
          port: -5
        routes:
          - id: a
            match: { path: /a/** }
            upstream: { targets: [ { url: "http://127.0.0.1:1" } ] }
            filters:
              - request-headerz: {}
          - id: a
            match: { path: /b/** }
            upstream: { targets: [ { url: "ftp://x" } ] }
        """);
    assertThat(run("--check", "--config", bad.toString())).isEqualTo(Main.INVALID_CONFIG);
    String printed = err.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains(bad + ":2:9: server.port: -5");
    assertThat(printed).contains("did you mean 'request-headers'?");
    assertThat(printed).contains(bad + ":9:9: routes[1].id");
    assertThat(printed).contains(bad + ":8:9: routes[0].filters[0]: unknown filter 'request-headerz'");
    assertThat(printed).contains("routes[1].upstream.targets[0].url");
    assertThat(printed).containsPattern("edgeway: [0-9]+ configuration errors");
  }

  @Test
  void missingFileAndUnknownArgumentsHaveTheirOwnExitCodes() {
    assertThat(run("--config", dir.resolve("nope.yaml").toString())).isEqualTo(Main.INVALID_CONFIG);
    assertThat(run("--frobnicate")).isEqualTo(Main.USAGE);
    assertThat(run("--config")).isEqualTo(Main.USAGE);
  }
}
