package io.edgeway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.edgeway.config.AccessLogConfig;
import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.DefaultGatewayRequest;
import io.edgeway.exchange.JsonBytes;
import io.edgeway.exchange.UtcTimestamps;
import io.edgeway.spi.Body;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

  /** The lines an access log hands over, each checked to be one UTF-8 line ending in a newline. */
  private static final class Lines implements Consumer<byte[]> {
    final List<String> all = new ArrayList<>();

    @Override
    public void accept(byte[] bytes) {
      String line = new String(bytes, StandardCharsets.UTF_8);
      assertThat(line).endsWith("\n");
      assertThat(line.indexOf('\n')).as("one line").isEqualTo(line.length() - 1);
      all.add(line.substring(0, line.length() - 1));
    }
  }

  /** Every field, every line. */
  private static AccessLog allFields(LongSupplier clockMillis, Lines lines) {
    return new AccessLog(AccessLogConfig.defaults(), () -> true, lines, clockMillis, () -> 0.5);
  }

  private static JsonObject line(LongSupplier clockMillis, DefaultExchange ex, ExchangeOutcome outcome) {
    Lines lines = new Lines();
    allFields(clockMillis, lines).completed(ex, outcome);
    assertThat(lines.all).hasSize(1);
    return new JsonObject(lines.all.get(0));
  }

  @Test
  void aLineHasTheTimeQueryUserAgentAndConsumer() {
    long millis = Instant.parse("2026-12-02T15:04:05.123Z").toEpochMilli();
    DefaultExchange ex = exchange("page=2&sort=asc", "curl/8.5 \"quoted\"");
    ex.put(StandardAttributes.CONSUMER, "alice");
    JsonObject line = line(() -> millis, ex, new ExchangeOutcome(200, null, 0, 42, 1_500_000, false));
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
    JsonObject line = line(() -> 0, exchange(null, null),
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
    JsonObject line = line(() -> 0, ex, new ExchangeOutcome(200, null, 0, 0, 1, false));
    assertThat(line.getString("query")).isEqualTo("page=2");
  }

  @Test
  void onlyTheSelectedFieldsAreWrittenInTheDocumentedOrder() {
    AccessLogConfig config = new AccessLogConfig(null, null, null, List.of("status", "traceId", "time"), null);
    Lines lines = new Lines();
    new AccessLog(config, () -> true, lines, () -> 0, () -> 0.5).completed(exchange(null, null),
        new ExchangeOutcome(200, null, 0, 0, 1, false));
    assertThat(lines.all).containsExactly("{\"time\":\"1970-01-01T00:00:00.000Z\",\"traceId\":\"" + "0".repeat(32)
        + "\",\"status\":200}");
  }

  @Test
  void sample2xxKeepsThatFractionOfLinesBelow400AndEveryErrorOrAbort() {
    AccessLogConfig config = new AccessLogConfig(null, null, null, List.of("status"), 0.25);
    double[] next = {0.0};
    Lines lines = new Lines();
    AccessLog accessLog = new AccessLog(config, () -> true, lines, () -> 0, () -> next[0]);
    next[0] = 0.24;
    accessLog.completed(exchange(null, null), new ExchangeOutcome(200, null, 0, 0, 1, false));
    next[0] = 0.25;
    accessLog.completed(exchange(null, null), new ExchangeOutcome(304, null, 0, 0, 1, false));
    accessLog.completed(exchange(null, null), new ExchangeOutcome(404, "no_route", 0, 0, 1, false));
    accessLog.completed(exchange(null, null), new ExchangeOutcome(502, "upstream_unreachable", 0, 0, 1, false));
    accessLog.completed(exchange(null, null), new ExchangeOutcome(200, null, 0, 0, 1, true));
    assertThat(lines.all).containsExactly("{\"status\":200}", "{\"status\":404}", "{\"status\":502}", "{\"status\":200}");
  }

  @Test
  void sample2xxOfZeroDropsEverySuccessWithoutDrawing() {
    AccessLogConfig config = new AccessLogConfig(null, null, null, null, 0.0);
    Lines lines = new Lines();
    new AccessLog(config, () -> true, lines, () -> 0, () -> {
      throw new AssertionError("no draw needed");
    }).completed(exchange(null, null), new ExchangeOutcome(200, null, 0, 0, 1, false));
    assertThat(lines.all).isEmpty();
  }

  @Test
  void sample2xxMustBeAFraction() {
    assertThatThrownBy(() -> new AccessLogConfig(null, null, null, null, 1.5))
        .hasMessage("sample-2xx: 1.5 (expected: a fraction from 0 to 1)");
    assertThatThrownBy(() -> new AccessLogConfig(null, null, null, List.of(), null))
        .hasMessageStartingWith("fields: [] (expected: at least one of time, requestId");
  }

  @Test
  void aLineIsValidUtf8JsonWithEscapesAndEveryFieldOnce() {
    String userAgent = "agent \"q\" back\\slash tab\t nl\n cr\r nul\u0000 \u2028 é ü € 𝄞";
    DefaultExchange ex = exchange("q=ü&x=\"", userAgent);
    ex.put(StandardAttributes.CONSUMER, "Zoë");
    Lines lines = new Lines();
    allFields(() -> 0, lines).completed(ex, new ExchangeOutcome(502, "upstream_unreachable", 7, 0, 2_500_000, true));
    JsonObject line = new JsonObject(lines.all.get(0));
    assertThat(line.fieldNames()).containsExactlyElementsOf(AccessLogConfig.FIELDS);
    assertThat(line.getString("userAgent")).isEqualTo(userAgent);
    assertThat(line.getString("query")).isEqualTo("q=ü&x=\"");
    assertThat(line.getString("consumer")).isEqualTo("Zoë");
    assertThat(line.getString("error")).isEqualTo("upstream_unreachable");
    assertThat(line.getLong("bytesIn")).isEqualTo(7);
    assertThat(line.getDouble("durationMs")).isEqualTo(2.5);
    assertThat(line.getBoolean("clientAborted")).isTrue();
    assertThat(lines.all.get(0)).as("control characters and U+2028 are escaped, the rest is plain UTF-8")
        .contains("tab\\u0009 nl\\u000a cr\\u000d nul\\u0000 \\u2028 é ü € 𝄞");
  }

  @Test
  void theReusedBufferStartsEachLineAfresh() {
    Lines lines = new Lines();
    AccessLog accessLog = allFields(() -> 0, lines);
    accessLog.completed(exchange("long=" + "x".repeat(2000), "ua"), new ExchangeOutcome(200, null, 0, 0, 1, false));
    accessLog.completed(exchange(null, null), new ExchangeOutcome(200, null, 0, 0, 1, false));
    assertThat(new JsonObject(lines.all.get(0)).getString("query")).hasSize(2005);
    assertThat(new JsonObject(lines.all.get(1)).getString("query")).isNull();
  }

  @Test
  void theStdoutLogIsSwitchedByTheLevelOfTheEdgewayAccessLogger() {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    Level previous = logger.getLevel();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AccessLogWriter writer = AccessLogWriter.start(new AccessLogOutput() {
      @Override
      public void write(byte[] bytes, int length) {
        out.write(bytes, 0, length);
      }

      @Override
      public void close() {}
    });
    AccessLogConfig config = new AccessLogConfig(null, null, null, List.of("status"), null);
    AccessLog accessLog = AccessLog.toStdout(config, writer);
    try {
      logger.setLevel(Level.OFF); // EDGEWAY_ACCESS_LOG=OFF
      accessLog.completed(exchange(null, null), new ExchangeOutcome(500, null, 0, 0, 1, false));
      logger.setLevel(Level.INFO); // EDGEWAY_ACCESS_LOG=INFO
      accessLog.completed(exchange(null, null), new ExchangeOutcome(201, null, 0, 0, 1, false));
    } finally {
      logger.setLevel(previous);
      writer.close();
    }
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"status\":201}\n");
  }

  @Test
  void timestampsKeepMillisecondsAcrossSecondsAndDays() {
    for (String t : new String[] {"2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00.001Z", "2026-02-03T04:05:06.070Z",
        "2026-02-03T04:05:06.700Z"}) {
      long millis = Instant.parse(t).toEpochMilli();
      assertThat(new String(UtcTimestamps.append(new JsonBytes(4), millis).toByteArray(), StandardCharsets.US_ASCII))
          .isEqualTo(t);
    }
  }
}
