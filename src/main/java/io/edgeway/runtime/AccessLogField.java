package io.edgeway.runtime;

import io.edgeway.config.AccessLogConfig;
import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.JsonText;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.http.HttpHeaders;
import java.util.List;

/**
 * One field of an access-log line, named as in JSON; declared in the order lines write them
 * ({@link AccessLogConfig#FIELDS}, which the README documents). The selection is resolved to an
 * array of these once, at load time.
 */
enum AccessLogField {
  TIME("time") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.append("\"time\":\"");
      UtcTimestamps.append(b, nowMillis).append('"');
    }
  },
  REQUEST_ID("requestId") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, ex.requestId());
    }
  },
  TRACE_ID("traceId") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, ex.traceId());
    }
  },
  ROUTE("route") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, ex.routeId());
    }
  },
  METHOD("method") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, ex.request().method().name());
    }
  },
  PATH("path") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, ex.request().path());
    }
  },
  QUERY("query") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      // The query as forwarded: a credential a filter removed (jwt strip-authorization) is not logged.
      JsonText.appendField(b, json, ex.request().upstreamQuery());
    }
  },
  CLIENT_IP("clientIp") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, ex.request().clientIp());
    }
  },
  USER_AGENT("userAgent") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, ex.request().headers().get(HttpHeaders.USER_AGENT));
    }
  },
  CONSUMER("consumer") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, ex.get(StandardAttributes.CONSUMER));
    }
  },
  STATUS("status") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.append("\"status\":").append(outcome.status());
    }
  },
  ERROR("error") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, outcome.errorCode());
    }
  },
  UPSTREAM("upstream") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      JsonText.appendField(b, json, ex.get(StandardAttributes.UPSTREAM_TARGET));
    }
  },
  BYTES_IN("bytesIn") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.append("\"bytesIn\":").append(outcome.bytesIn());
    }
  },
  BYTES_OUT("bytesOut") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.append("\"bytesOut\":").append(outcome.bytesOut());
    }
  },
  DURATION_MS("durationMs") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.append("\"durationMs\":").append(outcome.totalNanos() / 1_000_000.0);
    }
  },
  CLIENT_ABORTED("clientAborted") {
    @Override
    void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.append("\"clientAborted\":").append(outcome.clientAborted());
    }
  };

  final String json;

  AccessLogField(String json) {
    this.json = json;
  }

  abstract void append(StringBuilder b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis);

  /** The fields named in {@code names} (validated JSON names), in line order. */
  static AccessLogField[] selected(List<String> names) {
    return java.util.Arrays.stream(values()).filter(f -> names.contains(f.json)).toArray(AccessLogField[]::new);
  }
}
