package io.edgeway.events;

import io.edgeway.exchange.JsonText;
import io.edgeway.exchange.DefaultExchange;
import io.edgeway.runtime.ExchangeObserver;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.GatewayRequest;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Turns every completed exchange into one {@code io.edgeway.request.completed.v1} event. Runs on
 * the event loop: builds the JSON data with a string builder and hands the event off without
 * waiting. Never copies credentials or bodies (see {@link IncludeConfig}).
 */
final class RequestEvents implements ExchangeObserver {
  static final String TYPE = "io.edgeway.request.completed.v1";

  private final String source;
  private final String topic;
  private final KafkaEventsConfig.PartitionKey key;
  private final boolean includeQuery;
  private final List<String> requestHeaders;
  private final List<String> responseHeaders;
  private final Consumer<Event> sink;
  private final LongSupplier clockMillis;

  RequestEvents(EventsConfig config, Consumer<Event> sink, LongSupplier clockMillis) {
    this.source = config.source();
    this.topic = config.kafka().topic();
    this.key = config.kafka().key();
    this.includeQuery = config.include().query();
    this.requestHeaders = config.include().requestHeaders();
    this.responseHeaders = config.include().responseHeaders();
    this.sink = sink;
    this.clockMillis = clockMillis;
  }

  @Override
  public void completed(DefaultExchange ex, ExchangeOutcome outcome) {
    MultiMap responseHeaderValues = responseHeaders.isEmpty() ? null : ex.serverRequest().response().headers();
    sink.accept(event(ex, ex.request(), outcome, responseHeaderValues));
  }

  /** Builds the event; separated from {@link #completed} so tests need no server request. */
  Event event(io.edgeway.spi.Exchange ex, GatewayRequest req, ExchangeOutcome outcome, MultiMap responseHeaderValues) {
    String consumer = ex.get(StandardAttributes.CONSUMER);
    Integer attempts = ex.get(StandardAttributes.ATTEMPTS);
    Long upstreamNanos = ex.get(StandardAttributes.UPSTREAM_NANOS);
    long upstream = upstreamNanos == null ? 0 : upstreamNanos;
    StringBuilder b = new StringBuilder(512).append('{');
    JsonText.appendField(b, "requestId", ex.requestId()).append(',');
    JsonText.appendField(b, "traceId", ex.traceId()).append(',');
    JsonText.appendField(b, "route", ex.routeId()).append(',');
    JsonText.appendField(b, "method", req.method().name()).append(',');
    JsonText.appendField(b, "path", req.path()).append(',');
    if (includeQuery) {
      JsonText.appendField(b, "query", req.query()).append(',');
    }
    JsonText.appendField(b, "host", req.host()).append(',');
    JsonText.appendField(b, "clientIp", req.clientIp()).append(',');
    JsonText.appendField(b, "consumer", consumer).append(',');
    JsonText.appendField(b, "status", outcome.status()).append(',');
    JsonText.appendField(b, "errorCode", outcome.errorCode()).append(',');
    JsonText.appendField(b, "upstreamTarget", ex.get(StandardAttributes.UPSTREAM_TARGET)).append(',');
    JsonText.appendField(b, "attempts", attempts == null ? 0 : attempts).append(',');
    b.append("\"timings\":{");
    b.append("\"totalMs\":").append(millis(outcome.totalNanos())).append(',');
    b.append("\"upstreamMs\":").append(millis(upstream)).append(',');
    b.append("\"gatewayMs\":").append(millis(Math.max(0, outcome.totalNanos() - upstream))).append("},");
    JsonText.appendField(b, "bytesIn", outcome.bytesIn()).append(',');
    JsonText.appendField(b, "bytesOut", outcome.bytesOut()).append(',');
    JsonText.appendField(b, "cacheStatus", ex.get(StandardAttributes.CACHE_STATUS)).append(',');
    JsonText.appendField(b, "rateLimit", ex.get(StandardAttributes.RATE_LIMIT_OUTCOME)).append(',');
    JsonText.appendField(b, "breakerState", ex.get(StandardAttributes.BREAKER_STATE)).append(',');
    b.append("\"clientAborted\":").append(outcome.clientAborted());
    headers(b, "requestHeaders", requestHeaders, req.headers());
    headers(b, "responseHeaders", responseHeaders, responseHeaderValues);
    b.append('}');
    String partitionKey = switch (key) {
      case ROUTE -> ex.routeId();
      case CONSUMER -> consumer != null ? consumer : req.clientIp();
      case CLIENT_IP -> req.clientIp();
    };
    return new Event(EventIds.next(), TYPE, source, ex.routeId(), clockMillis.getAsLong(), topic, partitionKey,
        b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void headers(StringBuilder b, String field, List<String> names, MultiMap values) {
    if (names.isEmpty()) {
      return;
    }
    b.append(",\"").append(field).append("\":{");
    boolean first = true;
    for (String name : names) {
      String value = values == null ? null : values.get(name);
      if (value != null) {
        if (!first) {
          b.append(',');
        }
        JsonText.appendField(b, name, value);
        first = false;
      }
    }
    b.append('}');
  }

  /** Milliseconds with microsecond precision, as a JSON number. */
  private static String millis(long nanos) {
    long micros = nanos / 1_000;
    long whole = micros / 1_000;
    long fraction = micros % 1_000;
    return fraction == 0 ? Long.toString(whole)
        : whole + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + fraction;
  }
}
