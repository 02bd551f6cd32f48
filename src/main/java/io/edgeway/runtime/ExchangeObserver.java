package io.edgeway.runtime;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.spi.ExchangeOutcome;

/**
 * Sees every request once it is over, including those the gateway answered itself (400, 404,
 * 429...): the access log, request events and metrics hang here. Runs on the event loop: must
 * not block and must not throw.
 */
@FunctionalInterface
public interface ExchangeObserver {
  void completed(DefaultExchange exchange, ExchangeOutcome outcome);
}
