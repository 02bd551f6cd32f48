package io.edgeway.events;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.JsonBytes;
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
 * the event loop: writes the JSON data straight to UTF-8 bytes and hands the event off without
 * waiting. Never copies credentials or bodies (see {@link IncludeConfig}).
 */
final class RequestEvents implements ExchangeObserver {
  static final String TYPE = "io.edgeway.request.completed.v1";

  private final String source;
  private final String topic;
  private final KafkaEventsConfig.PartitionKey key;
  // Replaced whole by a reload of events.include; each event reads it once.
  private volatile IncludeConfig include;
  private final Consumer<Event> sink;
  private final LongSupplier clockMillis;

  // Each event loop builds its events in its own buffer; only the exact-size copy is allocated.
  private static final ThreadLocal<JsonBytes> BUFFER = ThreadLocal.withInitial(() -> new JsonBytes(1024));

  // The field names, with the separators around them, encoded once.
  private static final byte[] REQUEST_ID = ascii("{\"requestId\":");
  private static final byte[] TRACE_ID = field("traceId");
  private static final byte[] ROUTE = field("route");
  private static final byte[] METHOD = field("method");
  private static final byte[] PATH = field("path");
  private static final byte[] QUERY = field("query");
  private static final byte[] HOST = field("host");
  private static final byte[] CLIENT_IP = field("clientIp");
  private static final byte[] CONSUMER = field("consumer");
  private static final byte[] STATUS = field("status");
  private static final byte[] ERROR_CODE = field("errorCode");
  private static final byte[] UPSTREAM_TARGET = field("upstreamTarget");
  private static final byte[] ATTEMPTS = field("attempts");
  private static final byte[] TOTAL_MS = ascii(",\"timings\":{\"totalMs\":");
  private static final byte[] UPSTREAM_MS = field("upstreamMs");
  private static final byte[] GATEWAY_MS = field("gatewayMs");
  private static final byte[] BYTES_IN = ascii("},\"bytesIn\":");
  private static final byte[] BYTES_OUT = field("bytesOut");
  private static final byte[] CACHE_STATUS = field("cacheStatus");
  private static final byte[] RATE_LIMIT = field("rateLimit");
  private static final byte[] BREAKER_STATE = field("breakerState");
  private static final byte[] CLIENT_ABORTED = field("clientAborted");
  private static final byte[] REQUEST_HEADERS = field("requestHeaders");
  private static final byte[] RESPONSE_HEADERS = field("responseHeaders");

  /** {@code ,"name":} for a plain ASCII name. */
  private static byte[] field(String name) {
    return ascii(",\"" + name + "\":");
  }

  private static byte[] ascii(String json) {
    return json.getBytes(StandardCharsets.US_ASCII);
  }

  RequestEvents(EventsConfig config, Consumer<Event> sink, LongSupplier clockMillis) {
    this.source = config.source();
    this.topic = config.kafka().topic();
    this.key = config.kafka().key();
    this.include = config.include();
    this.sink = sink;
    this.clockMillis = clockMillis;
  }

  /** What events include from now on (a reload of {@code events.include}). */
  void include(IncludeConfig include) {
    this.include = java.util.Objects.requireNonNull(include, "include");
  }

  @Override
  public void completed(DefaultExchange ex, ExchangeOutcome outcome) {
    MultiMap responseHeaderValues = include.responseHeaders().isEmpty() ? null
        : ex.serverRequest().response().headers();
    sink.accept(event(ex, ex.request(), outcome, responseHeaderValues));
  }

  /** Builds the event; separated from {@link #completed} so tests need no server request. */
  Event event(io.edgeway.spi.Exchange ex, GatewayRequest req, ExchangeOutcome outcome, MultiMap responseHeaderValues) {
    String consumer = ex.get(StandardAttributes.CONSUMER);
    Integer attempts = ex.get(StandardAttributes.ATTEMPTS);
    Long upstreamNanos = ex.get(StandardAttributes.UPSTREAM_NANOS);
    long upstream = upstreamNanos == null ? 0 : upstreamNanos;
    IncludeConfig include = this.include;
    JsonBytes b = BUFFER.get().reset();
    b.raw(REQUEST_ID).string(ex.requestId());
    b.raw(TRACE_ID).string(ex.traceId());
    b.raw(ROUTE).string(ex.routeId());
    b.raw(METHOD).string(req.method().name());
    b.raw(PATH).string(req.path());
    if (include.query()) {
      b.raw(QUERY).string(req.upstreamQuery());
    }
    b.raw(HOST).string(req.host());
    b.raw(CLIENT_IP).string(req.clientIp());
    b.raw(CONSUMER).string(consumer);
    b.raw(STATUS).number(outcome.status());
    b.raw(ERROR_CODE).string(outcome.errorCode());
    b.raw(UPSTREAM_TARGET).string(ex.get(StandardAttributes.UPSTREAM_TARGET));
    b.raw(ATTEMPTS).number(attempts == null ? 0 : attempts);
    b.raw(TOTAL_MS).millis(outcome.totalNanos());
    b.raw(UPSTREAM_MS).millis(upstream);
    b.raw(GATEWAY_MS).millis(Math.max(0, outcome.totalNanos() - upstream));
    b.raw(BYTES_IN).number(outcome.bytesIn());
    b.raw(BYTES_OUT).number(outcome.bytesOut());
    b.raw(CACHE_STATUS).string(ex.get(StandardAttributes.CACHE_STATUS));
    b.raw(RATE_LIMIT).string(ex.get(StandardAttributes.RATE_LIMIT_OUTCOME));
    b.raw(BREAKER_STATE).string(ex.get(StandardAttributes.BREAKER_STATE));
    b.raw(CLIENT_ABORTED).bool(outcome.clientAborted());
    headers(b, REQUEST_HEADERS, include.requestHeaders(), req.headers());
    headers(b, RESPONSE_HEADERS, include.responseHeaders(), responseHeaderValues);
    b.raw((byte) '}');
    String partitionKey = switch (key) {
      case ROUTE -> ex.routeId();
      case CONSUMER -> consumer != null ? consumer : req.clientIp();
      case CLIENT_IP -> req.clientIp();
    };
    return new Event(EventIds.next(), TYPE, source, ex.routeId(), clockMillis.getAsLong(), topic, partitionKey,
        b.toByteArray());
  }

  private static void headers(JsonBytes b, byte[] field, List<String> names, MultiMap values) {
    if (names.isEmpty()) {
      return;
    }
    b.raw(field).raw((byte) '{');
    boolean first = true;
    for (String name : names) {
      String value = values == null ? null : values.get(name);
      if (value != null) {
        if (!first) {
          b.raw((byte) ',');
        }
        b.string(name).raw((byte) ':').string(value);
        first = false;
      }
    }
    b.raw((byte) '}');
  }
}
