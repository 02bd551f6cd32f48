package io.edgeway.server;

import static io.edgeway.server.IntegrityFixture.uniquePath;
import static io.edgeway.server.IntegrityFixture.uniqueRequestId;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.server.IntegrityFixture.Outcome;
import io.edgeway.testing.RawClient;
import io.edgeway.testing.RawUpstream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, case 9: every request that failed on its body is recorded exactly once (access log,
 * request events: every {@code ExchangeObserver}) with the error code saying why.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestIntegrityOutcomeTest {
  private static IntegrityFixture fx;

  @BeforeAll
  static void start() throws Exception {
    fx = IntegrityFixture.start("""
        routes:
          - id: r1
            match: { path: /r1/** }
            max-body-size: 1MiB
            upstream: { targets: [ { url: %1$s } ], timeouts: { response: 30s } }
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
  }

  private static String head(String id, String path, String framing) {
    return "POST " + path + " HTTP/1.1\r\nHost: a\r\nX-Request-Id: " + id + "\r\n" + framing + "\r\n\r\n";
  }

  private static Outcome onlyOutcome(String id) {
    List<Outcome> outcomes = fx.awaitOutcomes(id);
    assertThat(outcomes).as("exactly one outcome for %s", id).hasSize(1);
    return outcomes.get(0);
  }

  @Test
  @DisplayName("a good request: one outcome, no error code")
  void goodRequest() throws Exception {
    String id = uniqueRequestId("good");
    try (RawClient client = fx.client()) {
      client.write(head(id, uniquePath("/r1", "outcome-good"), "Content-Length: 2") + "hi");
      assertThat(client.readResponse(Duration.ofSeconds(5)).status()).isEqualTo(200);
    }
    Outcome o = onlyOutcome(id);
    assertThat(o.outcome().status()).isEqualTo(200);
    assertThat(o.outcome().errorCode()).isNull();
    assertThat(o.outcome().bytesIn()).isEqualTo(2);
  }

  @Test
  @DisplayName("broken chunked body: one outcome, 400 client_body_error")
  void brokenChunkedBody() throws Exception {
    String id = uniqueRequestId("broken");
    try (RawClient client = fx.client()) {
      client.write(head(id, uniquePath("/r1", "outcome-broken"), "Transfer-Encoding: chunked") + "5\r\nhello\r\n");
      Thread.sleep(100); // separate writes
      client.write("ZZ\r\n");
      client.awaitClosed(Duration.ofSeconds(5));
    }
    Outcome o = onlyOutcome(id);
    assertThat(o.outcome().errorCode()).isEqualTo("client_body_error");
    assertThat(o.outcome().status()).isEqualTo(400);
  }

  @Test
  @DisplayName("chunked body over the limit: one outcome, 413 payload_too_large")
  void bodyOverTheLimit() throws Exception {
    String id = uniqueRequestId("too-large");
    try (RawClient client = fx.client()) {
      client.write(head(id, uniquePath("/r1", "outcome-too-large"), "Transfer-Encoding: chunked"));
      String chunk = "10000\r\n" + "c".repeat(0x10000) + "\r\n";
      for (int i = 0; i < 32 && client.tryWrite(chunk); i++) {
        // 2 MiB unless the gateway stopped reading
      }
      client.awaitClosed(Duration.ofSeconds(5));
    }
    Outcome o = onlyOutcome(id);
    assertThat(o.outcome().errorCode()).isEqualTo("payload_too_large");
    assertThat(o.outcome().status()).isEqualTo(413);
  }

  @Test
  @DisplayName("client aborts mid-body: one outcome, client_aborted")
  void clientAborts() throws Exception {
    String id = uniqueRequestId("abort");
    String path = uniquePath("/r1", "outcome-abort");
    try (RawClient client = fx.client()) {
      client.write(head(id, path, "Content-Length: 16384") + "b".repeat(8000));
      RawUpstream.waitFor(Duration.ofSeconds(2), () -> !fx.upstream.connectionsCarrying(path).isEmpty());
    }
    Outcome o = onlyOutcome(id);
    assertThat(o.outcome().errorCode()).isEqualTo("client_aborted");
    assertThat(o.outcome().clientAborted()).isTrue();
    assertThat(o.outcome().bytesIn()).isLessThanOrEqualTo(8000);
  }

  @Test
  @DisplayName("stalled body: one outcome, 408 request_body_timeout")
  void stalledBody() throws Exception {
    String id = uniqueRequestId("stall");
    try (RawClient client = fx.client()) {
      client.write(head(id, uniquePath("/r1", "outcome-stall"), "Content-Length: 10") + "hello");
      client.awaitClosed(Duration.ofSeconds(4));
    }
    Outcome o = onlyOutcome(id);
    assertThat(o.outcome().errorCode()).isEqualTo("request_body_timeout");
    assertThat(o.outcome().status()).isEqualTo(408);
  }
}
