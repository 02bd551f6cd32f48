package io.edgeway.runtime;

import io.edgeway.config.AccessLogConfig;
import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.JsonBytes;
import io.edgeway.exchange.UtcTimestamps;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One field of an access-log line, named as in JSON; declared in the order lines write them
 * ({@link AccessLogConfig#FIELDS}, which the README documents). The selection is resolved to an
 * array of these once, at load time.
 */
enum AccessLogField {
  TIME("time") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      UtcTimestamps.append(b.raw(key).raw((byte) '"'), nowMillis).raw((byte) '"');
    }
  },
  REQUEST_ID("requestId") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(ex.requestId());
    }
  },
  TRACE_ID("traceId") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(ex.traceId());
    }
  },
  ROUTE("route") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(ex.routeId());
    }
  },
  METHOD("method") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(ex.request().method().name());
    }
  },
  PATH("path") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(ex.request().path());
    }
  },
  QUERY("query") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      // The query as forwarded: a credential a filter removed (jwt strip-authorization) is not logged.
      b.raw(key).string(ex.request().upstreamQuery());
    }
  },
  CLIENT_IP("clientIp") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(ex.request().clientIp());
    }
  },
  USER_AGENT("userAgent") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(ex.request().headers().get(HttpHeaders.USER_AGENT));
    }
  },
  CONSUMER("consumer") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(ex.get(StandardAttributes.CONSUMER));
    }
  },
  STATUS("status") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).number(outcome.status());
    }
  },
  ERROR("error") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(outcome.errorCode());
    }
  },
  UPSTREAM("upstream") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).string(ex.get(StandardAttributes.UPSTREAM_TARGET));
    }
  },
  BYTES_IN("bytesIn") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).number(outcome.bytesIn());
    }
  },
  BYTES_OUT("bytesOut") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).number(outcome.bytesOut());
    }
  },
  DURATION_MS("durationMs") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).millis(outcome.totalNanos());
    }
  },
  CLIENT_ABORTED("clientAborted") {
    @Override
    void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis) {
      b.raw(key).bool(outcome.clientAborted());
    }
  };

  final String json;
  /** {@code "name":}, encoded once. */
  final byte[] key;

  AccessLogField(String json) {
    this.json = json;
    this.key = ("\"" + json + "\":").getBytes(StandardCharsets.US_ASCII);
  }

  abstract void append(JsonBytes b, DefaultExchange ex, ExchangeOutcome outcome, long nowMillis);

  /** The fields named in {@code names} (validated JSON names), in line order. */
  static AccessLogField[] selected(List<String> names) {
    return java.util.Arrays.stream(values()).filter(f -> names.contains(f.json)).toArray(AccessLogField[]::new);
  }
}
