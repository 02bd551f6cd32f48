package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.JsonText;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.http.HttpHeaders;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code edgeway.access} logger (routed to an asynchronous
 * appender in logback.xml, so the event loop never waits on the disk). The fields are listed in
 * the README ("Logs"); {@code time} is when the request completed, ISO-8601 UTC with milliseconds.
 */
final class AccessLog implements ExchangeObserver {
  private static final Logger log = LoggerFactory.getLogger("edgeway.access");

  private final LongSupplier clockMillis;

  AccessLog() {
    this(System::currentTimeMillis);
  }

  AccessLog(LongSupplier clockMillis) {
    this.clockMillis = requireNonNull(clockMillis, "clockMillis");
  }

  @Override
  public void completed(DefaultExchange ex, ExchangeOutcome outcome) {
    if (!log.isInfoEnabled()) {
      return;
    }
    StringBuilder b = new StringBuilder(384).append("{\"time\":\"");
    UtcTimestamps.append(b, clockMillis.getAsLong()).append("\",");
    field(b, "requestId", ex.requestId()).append(',');
    field(b, "traceId", ex.traceId()).append(',');
    field(b, "route", ex.routeId()).append(',');
    field(b, "method", ex.request().method().name()).append(',');
    field(b, "path", ex.request().path()).append(',');
    // The query as forwarded: a credential a filter removed (jwt strip-authorization) is not logged.
    field(b, "query", ex.request().upstreamQuery()).append(',');
    field(b, "clientIp", ex.request().clientIp()).append(',');
    field(b, "userAgent", ex.request().headers().get(HttpHeaders.USER_AGENT)).append(',');
    field(b, "consumer", ex.get(StandardAttributes.CONSUMER)).append(',');
    b.append("\"status\":").append(outcome.status()).append(',');
    field(b, "error", outcome.errorCode()).append(',');
    field(b, "upstream", ex.get(StandardAttributes.UPSTREAM_TARGET)).append(',');
    b.append("\"bytesIn\":").append(outcome.bytesIn()).append(',');
    b.append("\"bytesOut\":").append(outcome.bytesOut()).append(',');
    b.append("\"durationMs\":").append(outcome.totalNanos() / 1_000_000.0).append(',');
    b.append("\"clientAborted\":").append(outcome.clientAborted()).append('}');
    log.info(b.toString());
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    return JsonText.appendField(b, name, value);
  }
}
