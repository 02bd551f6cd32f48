package io.edgeway.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faster start of docs/performance.md and the image: {@code scripts/cds-archive.sh} runs the
 * jar's {@code training-run} and writes a class-data archive, and a gateway started with it maps
 * its own classes from the archive ({@code -Xshare:on}: a JVM that cannot use it refuses to
 * start) and serves.
 */
class ClassArchiveSmokeIT {
  @TempDir Path dir;

  @Test
  void theTrainingRunWritesAnArchiveTheGatewayStartsFrom() throws Exception {
    Map<String, String> ports = Map.of(
        "EDGEWAY_PORT", Integer.toString(ShippedJar.freePort()),
        "EDGEWAY_ADMIN_PORT", Integer.toString(ShippedJar.freePort()),
        "EDGEWAY_DEMO_PORT", Integer.toString(ShippedJar.freePort()));
    Path archive = dir.resolve("edgeway.jsa");
    Path script = Path.of("scripts/cds-archive.sh").toAbsolutePath();
    ProcessBuilder training = new ProcessBuilder("bash", script.toString(), "--jar", ShippedJar.jar().toString(),
        "--archive", archive.toString())
        .directory(dir.toFile()) // no config/ here: the embedded default configuration, as the image does
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("training.log").toFile());
    training.environment().putAll(ports);
    training.environment().put("PATH", Path.of(ShippedJar.java()).getParent() + ":" + System.getenv("PATH"));
    Process process = training.start();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the training run ends by itself").isTrue();
    String log = Files.readString(dir.resolve("training.log"), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(log).isZero();
    assertThat(log).contains("training-run: GET /demo/hello: 200 OK").contains("cds-archive: wrote ");
    assertThat(Files.size(archive)).as(log).isGreaterThan(1 << 20);

    Path classes = dir.resolve("classes.txt");
    try (ShippedJar gateway = ShippedJar.start(dir, ports,
        List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:class+load=info:file=" + classes))) {
      String base = "http://127.0.0.1:" + ports.get("EDGEWAY_PORT");
      assertThat(gateway.awaitStderr(l -> l.contains("edgeway listening on"), Duration.ofSeconds(60)))
          .as(gateway.logs()).isTrue();
      assertThat(ShippedJar.get(base + "/demo/hello").statusCode()).as(gateway.logs()).isEqualTo(200);
      assertThat(Files.readAllLines(classes)).as("the gateway's own classes come from the archive")
          .anyMatch(l -> l.contains(" io.edgeway.cli.Main source: shared objects file (top)"))
          .anyMatch(l -> l.contains(" io.edgeway.proxy.UpstreamCall source: shared objects file (top)"));
    }
  }
}
