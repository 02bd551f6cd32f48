package com.example.edgeway;

import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.BlockingExecutor;
import io.edgeway.spi.Exchange;
import io.edgeway.spi.FilterChain;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayRequest;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code time method path status consumer bytes-out} once per request, after the response
 * went out. The write is blocking file I/O, so it goes to {@link BlockingExecutor}; the request never
 * waits for it.
 */
final class AuditFileFilter implements GatewayFilter {
  /** Set by this filter for later filters (and tests): when the request reached the filter. */
  static final AttributeKey<String> RECEIVED_AT = AttributeKey.of("audit-received-at", String.class);
  private static final Logger log = LoggerFactory.getLogger(AuditFileFilter.class);

  private final AuditLog auditLog;
  private final BlockingExecutor blocking;
  private final Clock clock;
  private final boolean includeQuery;
  private final AtomicLong dropped = new AtomicLong();

  AuditFileFilter(AuditLog auditLog, BlockingExecutor blocking, Clock clock, boolean includeQuery) {
    this.auditLog = auditLog;
    this.blocking = blocking;
    this.clock = clock;
    this.includeQuery = includeQuery;
  }

  @Override
  public Future<GatewayResponse> filter(Exchange exchange, FilterChain chain) {
    String receivedAt = clock.instant().toString();
    exchange.put(RECEIVED_AT, receivedAt);
    GatewayRequest request = exchange.request();
    String target = includeQuery && request.query() != null ? request.path() + "?" + request.query() : request.path();
    exchange.onComplete(outcome -> {
      // Read attributes at completion: an authentication filter later in the chain sets the consumer.
      String consumer = exchange.get(StandardAttributes.CONSUMER);
      String line = receivedAt + " " + request.method() + " " + target + " " + outcome.status() + " "
          + (consumer == null ? "-" : consumer) + " " + outcome.bytesOut();
      blocking.run(() -> {
        auditLog.append(line);
        return null;
      }).onFailure(e -> log.warn("audit line dropped ({} so far): {}", dropped.incrementAndGet(), e.getMessage()));
    });
    return chain.proceed(exchange);
  }
}
