package com.example.edgeway;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testkit.GatewayExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plugin's filters in a real gateway (with the built-ins), in front of a recording upstream. */
class UserAgentBlockGatewayTest {

  @RegisterExtension
  static final GatewayExtension gateway = GatewayExtension.withRoutes("""
      - id: api
        match: { path: /api/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - user-agent-block: { words: [sqlmap] }
          - audit-file: { path: target/gateway-test-audit.log }
      """);

  @Test
  void aBlockedAgentNeverReachesTheUpstream() throws Exception {
    HttpResponse<String> response = gateway.get("/api/orders", "User-Agent", "sqlmap/1.7");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(gateway.upstream().requests()).isEmpty();
  }

  @Test
  void otherAgentsPassThrough() throws Exception {
    HttpResponse<String> response = gateway.get("/api/orders", "User-Agent", "curl/8.5");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(gateway.upstream().lastRequest().path()).isEqualTo("/api/orders");
    assertThat(gateway.upstream().lastRequest().headers().get("User-Agent")).isEqualTo("curl/8.5");
    assertThat(AuditFileFilterTest.awaitLines(Path.of("target/gateway-test-audit.log"), 1))
        .anyMatch(line -> line.endsWith(" GET /api/orders 200 - 11"));
  }
}
