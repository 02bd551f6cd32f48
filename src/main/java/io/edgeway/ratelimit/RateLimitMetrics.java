package io.edgeway.ratelimit;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.LongAdder;

/** Process-wide counters of rate-limit decisions, shown by the admin API at {@code /ratelimit}. */
public final class RateLimitMetrics {
  final LongAdder allowed = new LongAdder();
  final LongAdder rejected = new LongAdder();
  /** Allowed or rejected by a per-node fallback bucket because the store was unavailable. */
  final LongAdder degraded = new LongAdder();
  /** Answered 503 because the store was unavailable and on-store-failure is deny. */
  final LongAdder unavailable = new LongAdder();
  final LongAdder missingKey = new LongAdder();

  JsonObject toJson() {
    return new JsonObject()
        .put("allowed", allowed.sum())
        .put("rejected", rejected.sum())
        .put("degraded", degraded.sum())
        .put("unavailable", unavailable.sum())
        .put("missingKey", missingKey.sum());
  }
}
