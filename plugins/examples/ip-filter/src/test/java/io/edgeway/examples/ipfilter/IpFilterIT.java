package io.edgeway.examples.ipfilter;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.testkit.GatewayExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The filter in a real gateway, in front of a recording upstream. The test gateway's clients connect
 * from 127.0.0.1 and no proxy is trusted, so that is the client IP the filter sees.
 */
class IpFilterIT {

  @RegisterExtension
  static final GatewayExtension gateway = GatewayExtension.withRoutes("""
      - id: loopback-allowed
        match: { path: /allowed/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - ip-filter: { allow: [127.0.0.0/8] }
      - id: loopback-denied
        match: { path: /denied/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - ip-filter: { allow: [127.0.0.0/8], deny: [127.0.0.1] }
      - id: elsewhere-only
        match: { path: /elsewhere/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - ip-filter: { allow: [10.0.0.0/8, "::1/128"], status: 404 }
      - id: mapped-rule
        match: { path: /mapped/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - ip-filter: { allow: ["::ffff:127.0.0.0/104"] }
      """);

  @Test
  void anAllowedClientReachesTheUpstream() throws Exception {
    HttpResponse<String> response = gateway.get("/allowed/orders?page=2");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(gateway.upstream().requests()).hasSize(1);
    assertThat(gateway.upstream().lastRequest().path()).isEqualTo("/allowed/orders");
    assertThat(gateway.upstream().lastRequest().query()).isEqualTo("page=2");
  }

  @Test
  void aDeniedClientGetsTheProblemAndTheUpstreamReceivesNothing() throws Exception {
    HttpResponse<String> response = gateway.post("/denied/orders", "{\"n\":1}", "Content-Type", "application/json");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"code\":\"ip_denied\"", "\"route\":\"loopback-denied\"");
    assertThat(gateway.upstream().requests()).isEmpty();
  }

  @Test
  void aClientOutsideTheAllowListGetsTheConfiguredStatus() throws Exception {
    HttpResponse<String> response = gateway.get("/elsewhere/x");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("\"code\":\"ip_denied\"");
    assertThat(gateway.upstream().requests()).isEmpty();
  }

  @Test
  void anIpv4MappedRuleMatchesTheIpv4Client() throws Exception {
    assertThat(gateway.get("/mapped/x").statusCode()).isEqualTo(200);
    assertThat(gateway.upstream().requests()).hasSize(1);
  }
}
