package com.example.edgeway;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testkit.GatewayExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plugin in a real gateway (built-ins and this project's filter), in front of a recording upstream. */
class UserAgentBlockGatewayTest {

  @RegisterExtension
  static final GatewayExtension gateway = GatewayExtension.withRoutes("""
      - id: api
        match: { path: /api/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - user-agent-block: { words: [sqlmap] }
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
  }
}
