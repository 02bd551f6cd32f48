package com.example.edgeway;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testkit.GatewayExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The built jar (after {@code package}), loaded as the gateway loads {@code plugins/}: its own class
 * loader, its manifest's SPI version checked. Catches what the class path hides: a missing services
 * entry, a dependency not bundled, a wrong manifest.
 */
class PluginJarIT {

  @RegisterExtension
  static final GatewayExtension gateway = GatewayExtension.withRoutes("""
      - id: api
        match: { path: /api/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - user-agent-block: { words: [sqlmap] }
      """).pluginJar(Path.of(System.getProperty("edgeway.plugin.jar")));

  @Test
  void theJarsFilterServesRequests() throws Exception {
    HttpResponse<String> blocked = gateway.get("/api/x", "User-Agent", "sqlmap/1.7");
    HttpResponse<String> passed = gateway.get("/api/x", "User-Agent", "curl/8.5");

    assertThat(blocked.statusCode()).isEqualTo(403);
    assertThat(passed.statusCode()).isEqualTo(200);
    assertThat(gateway.upstream().requests()).hasSize(1);
  }
}
