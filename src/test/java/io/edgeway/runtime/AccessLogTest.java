package io.edgeway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.config.AccessLogConfig;
import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.DefaultGatewayRequest;
import io.edgeway.spi.Body;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import io.edgeway.testing.LogCapture;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessLogTest {
  private static DefaultExchange exchange(String query, String userAgent) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (userAgent != null) {
      headers.set("User-Agent", userAgent);
    }
    DefaultGatewayRequest request = new DefaultGatewayRequest(HttpMethod.GET, "/orders/7", "/orders/7", query,
        "api.example.com", "http", "203.0.113.9", Map.of(), headers, Body.empty());
    return new DefaultExchange("req-1", "0".repeat(32), null, "orders", request, null, 0, 0);
  }

  private static JsonObject line(AccessLog accessLog, DefaultExchange ex, ExchangeOutcome outcome) {
    try (LogCapture log = LogCapture.of("edgeway.access")) {
      accessLog.completed(ex, outcome);
      return new JsonObject(log.messages().get(0));
    }
  }

  @Test
  void aLineHasTheTimeQueryUserAgentAndConsumer() {
    long millis = Instant.parse("2026-12-02T15:04:05.123Z").toEpochMilli();
    DefaultExchange ex = exchange("page=2&sort=asc", "curl/8.5 \"quoted\"");
    ex.put(StandardAttributes.CONSUMER, "alice");
    JsonObject line = line(new AccessLog(() -> millis), ex, new ExchangeOutcome(200, null, 0, 42, 1_500_000, false));
    assertThat(line.fieldNames().iterator().next()).as("time comes first").isEqualTo("time");
    assertThat(line.getString("time")).isEqualTo("2026-12-02T15:04:05.123Z");
    assertThat(line.getString("query")).isEqualTo("page=2&sort=asc");
    assertThat(line.getString("userAgent")).isEqualTo("curl/8.5 \"quoted\"");
    assertThat(line.getString("consumer")).isEqualTo("alice");
    assertThat(line.getString("path")).isEqualTo("/orders/7");
    assertThat(line.getInteger("status")).isEqualTo(200);
    assertThat(line.getLong("bytesOut")).isEqualTo(42);
  }

  @Test
  void anonymousRequestsWithoutQueryOrUserAgentLogNulls() {
    JsonObject line = line(new AccessLog(() -> 0), exchange(null, null),
        new ExchangeOutcome(401, "missing_token", 0, 100, 1, false));
    assertThat(line.getString("time")).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(line.containsKey("query")).isTrue();
    assertThat(line.getString("query")).isNull();
    assertThat(line.getString("userAgent")).isNull();
    assertThat(line.getString("consumer")).isNull();
    assertThat(line.getString("error")).isEqualTo("missing_token");
  }

  @Test
  void theQueryIsTheOneForwardedWithoutWhatAFilterRemoved() {
    DefaultExchange ex = exchange("page=2&access_token=secret", null);
    ex.request().upstreamQuery("page=2");
    JsonObject line = line(new AccessLog(() -> 0), ex, new ExchangeOutcome(200, null, 0, 0, 1, false));
    assertThat(line.getString("query")).isEqualTo("page=2");
  }

  @Test
  void onlyTheSelectedFieldsAreWrittenInTheDocumentedOrder() {
    AccessLogConfig config = new AccessLogConfig(null, null, null, List.of("status", "traceId", "time"), null);
    List<String> lines = new ArrayList<>();
    new AccessLog(config, () -> true, lines::add, () -> 0, () -> 0.5).completed(exchange(null, null),
        new ExchangeOutcome(200, null, 0, 0, 1, false));
    assertThat(lines).containsExactly("{\"time\":\"1970-01-01T00:00:00.000Z\",\"traceId\":\"" + "0".repeat(32)
        + "\",\"status\":200}");
  }

  @Test
  void sample2xxKeepsThatFractionOfLinesBelow400AndEveryErrorOrAbort() {
    AccessLogConfig config = new AccessLogConfig(null, null, null, List.of("status"), 0.25);
    double[] next = {0.0};
    List<String> lines = new ArrayList<>();
    AccessLog accessLog = new AccessLog(config, () -> true, lines::add, () -> 0, () -> next[0]);
    next[0] = 0.24;
    accessLog.completed(exchange(null, null), new ExchangeOutcome(200, null, 0, 0, 1, false));
    next[0] = 0.25;
    accessLog.completed(exchange(null, null), new ExchangeOutcome(304, null, 0, 0, 1, false));
    accessLog.completed(exchange(null, null), new ExchangeOutcome(404, "no_route", 0, 0, 1, false));
    accessLog.completed(exchange(null, null), new ExchangeOutcome(502, "upstream_unreachable", 0, 0, 1, false));
    accessLog.completed(exchange(null, null), new ExchangeOutcome(200, null, 0, 0, 1, true));
    assertThat(lines).containsExactly("{\"status\":200}", "{\"status\":404}", "{\"status\":502}", "{\"status\":200}");
  }

  @Test
  void sample2xxOfZeroDropsEverySuccessWithoutDrawing() {
    AccessLogConfig config = new AccessLogConfig(null, null, null, null, 0.0);
    List<String> lines = new ArrayList<>();
    new AccessLog(config, () -> true, lines::add, () -> 0, () -> {
      throw new AssertionError("no draw needed");
    }).completed(exchange(null, null), new ExchangeOutcome(200, null, 0, 0, 1, false));
    assertThat(lines).isEmpty();
  }

  @Test
  void sample2xxMustBeAFraction() {
    assertThatThrownBy(() -> new AccessLogConfig(null, null, null, null, 1.5))
        .hasMessage("sample-2xx: 1.5 (expected: a fraction from 0 to 1)");
    assertThatThrownBy(() -> new AccessLogConfig(null, null, null, List.of(), null))
        .hasMessageStartingWith("fields: [] (expected: at least one of time, requestId");
  }

  @Test
  void timestampsKeepMillisecondsAcrossSecondsAndDays() {
    for (String t : new String[] {"2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00.001Z", "2026-02-03T04:05:06.070Z",
        "2026-02-03T04:05:06.700Z"}) {
      long millis = Instant.parse(t).toEpochMilli();
      assertThat(UtcTimestamps.append(new StringBuilder(), millis).toString()).isEqualTo(t);
    }
  }
}
