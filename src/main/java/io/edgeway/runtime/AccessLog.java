package io.edgeway.runtime;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.JsonText;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code edgeway.access} logger (routed to an asynchronous
 * appender in logback.xml, so the event loop never waits on the disk).
 */
final class AccessLog implements ExchangeObserver {
  private static final Logger log = LoggerFactory.getLogger("edgeway.access");

  @Override
  public void completed(DefaultExchange ex, ExchangeOutcome outcome) {
    if (!log.isInfoEnabled()) {
      return;
    }
    StringBuilder b = new StringBuilder(256).append('{');
    field(b, "requestId", ex.requestId()).append(',');
    field(b, "traceId", ex.traceId()).append(',');
    field(b, "route", ex.routeId()).append(',');
    field(b, "method", ex.request().method().name()).append(',');
    field(b, "path", ex.request().path()).append(',');
    field(b, "clientIp", ex.request().clientIp()).append(',');
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
