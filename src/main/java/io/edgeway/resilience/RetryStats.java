package io.edgeway.resilience;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one route's retry filter, shown by the admin API. */
final class RetryStats {
  final LongAdder requests = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder budgetExhausted = new LongAdder();
  final LongAdder bodyTooLarge = new LongAdder();

  Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests", requests.sum());
    out.put("retries", retries.sum());
    out.put("budgetExhausted", budgetExhausted.sum());
    out.put("notRetriedBodyTooLarge", bodyTooLarge.sum());
    return out;
  }
}
