package io.edgeway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension runs a real gateway with the test class path's filter in front of a recording upstream. */
class GatewayExtensionTest {

  @RegisterExtension
  static final GatewayExtension gateway = GatewayExtension.withRoutes("""
      - id: api
        match: { path: /api/** }
        upstream: { targets: [ { url: "{{upstream}}" } ] }
        filters:
          - test-stamp: { value: from-yaml }
      """);

  @Test
  void theUpstreamReceivesWhatThePluginAdded() throws Exception {
    HttpResponse<String> response = gateway.post("/api/orders?x=1", "{\"n\":1}", "Content-Type", "application/json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Stamped")).hasValue("yes");
    RecordingUpstream.ReceivedRequest received = gateway.upstream().lastRequest();
    assertThat(received.path()).isEqualTo("/api/orders");
    assertThat(received.query()).isEqualTo("x=1");
    assertThat(received.headers().get("X-Stamp")).isEqualTo("from-yaml");
    assertThat(received.headers().get("X-Request-Id")).isNotBlank();
    assertThat(received.bodyText()).isEqualTo("{\"n\":1}");
  }

  @Test
  void aRefusalNeverReachesTheUpstream() throws Exception {
    HttpResponse<String> response = gateway.get("/api/x", "X-Refuse", "1");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"code\":\"refused\"");
    assertThat(gateway.upstream().requests()).isEmpty();
  }

  @Test
  void theUpstreamsRecordIsClearedBeforeEachTest() throws Exception {
    assertThat(gateway.upstream().requests()).isEmpty();
    gateway.get("/api/one");
    assertThat(gateway.upstream().requests()).hasSize(1);
  }
}
