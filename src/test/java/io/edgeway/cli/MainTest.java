package io.edgeway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
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

  /**
   * Filters that need a module's process-wide part (jwt: the providers, cache: the store,
   * rate-limit with scope cluster: the Redis store) pass --check from the bound sections alone.
   * Nothing is fetched or opened: the JWKS URL points at a loopback socket that must see no
   * connection, the public key file and the Redis server do not exist.
   */
  @Test
  void checkAcceptsModuleBackedFiltersWithoutNetworkOrFiles() throws Exception {
    try (ServerSocket jwks = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Path config = dir.resolve("modules.yaml");
      Files.writeString(config, """
          jwt-providers:
            corp:
              issuer: https://login.example.com/
              algorithms: [RS256]
              jwks-url: http://127.0.0.1:%d/jwks.json
            files:
              issuer: files
              algorithms: [ES256]
              public-key-file: %s
          rate-limit-store:
            redis: { url: "redis://127.0.0.1:1" }
          cache: { max-size: 1MiB }
          routes:
            - id: api
              match: { path: /api/** }
              upstream: { targets: [ { url: "http://127.0.0.1:9" } ] }
              filters:
                - jwt: { providers: [corp, files] }
                - rate-limit: { scope: cluster, limits: [ { capacity: 10, period: 1s } ] }
                - cache: {}
          """.formatted(jwks.getLocalPort(), dir.resolve("no-such-key.pem")));

      assertThat(run("--check", "--config", config.toString())).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(Main.OK);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("configuration OK (1 routes)");

      jwks.setSoTimeout(100);
      assertThatThrownBy(jwks::accept).as("--check must not fetch the JWKS").isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void checkReportsAnUnknownProviderAtItsListEntry() throws Exception {
    Path config = dir.resolve("unknown-provider.yaml");
    Files.writeString(config, """
        jwt-providers:
          corp: { issuer: corp, algorithms: [HS256], secret: "a-secret-of-at-least-thirty-two-bytes" }
        routes:
          - id: api
            match: { path: /api/** }
            upstream: { targets: [ { url: "http://127.0.0.1:9" } ] }
            filters:
              - jwt: { providers: [crop] }
        """);
    assertThat(run("--check", "--config", config.toString())).isEqualTo(Main.INVALID_CONFIG);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(config + ":8:28: routes[0].filters[0].jwt.providers[0]: crop (expected: one of [corp] from jwt-providers)");
  }

  @Test
  void missingFileAndUnknownArgumentsHaveTheirOwnExitCodes() {
    assertThat(run("--config", dir.resolve("nope.yaml").toString())).isEqualTo(Main.INVALID_CONFIG);
    assertThat(run("--frobnicate")).isEqualTo(Main.USAGE);
    assertThat(run("--config")).isEqualTo(Main.USAGE);
  }
}
