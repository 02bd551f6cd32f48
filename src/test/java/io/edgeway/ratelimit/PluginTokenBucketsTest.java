package io.edgeway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.spi.BucketDecision;
import io.edgeway.spi.BucketLimit;
import io.edgeway.spi.TokenBuckets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Plugins' per-node token buckets, on a clock the test moves. */
class PluginTokenBucketsTest {
  private final FakeTime time = new FakeTime();
  private final PluginTokenBuckets buckets = new PluginTokenBuckets(null, null, time, time);
  private static final BucketLimit THREE_PER_MINUTE = new BucketLimit(3, Duration.ofMinutes(1));

  private static BucketDecision take(TokenBuckets buckets, String key, BucketLimit limit, long tokens) {
    // Per-node buckets answer at once: the future is already complete.
    return buckets.tryConsume(key, limit, tokens).result();
  }

  @Test
  void aBucketAllowsItsCapacityThenSaysHowLongToWaitAndRefillsGreedily() {
    TokenBuckets quota = buckets.forFilter("quota");
    assertThat(take(quota, "alice", THREE_PER_MINUTE, 1)).isEqualTo(new BucketDecision(true, 2, Duration.ZERO));
    assertThat(take(quota, "alice", THREE_PER_MINUTE, 2)).isEqualTo(new BucketDecision(true, 0, Duration.ZERO));
    BucketDecision denied = take(quota, "alice", THREE_PER_MINUTE, 1);
    assertThat(denied.consumed()).isFalse();
    assertThat(denied.remaining()).isZero();
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(20)); // 3 per minute: one token every 20 s

    time.advance(Duration.ofSeconds(20));
    assertThat(take(quota, "alice", THREE_PER_MINUTE, 1)).isEqualTo(new BucketDecision(true, 0, Duration.ZERO));
  }

  @Test
  void keysFiltersAndLimitsAreSeparateBuckets() {
    TokenBuckets quota = buckets.forFilter("quota");
    take(quota, "alice", THREE_PER_MINUTE, 3);
    assertThat(take(quota, "alice", THREE_PER_MINUTE, 1).consumed()).isFalse();
    assertThat(take(quota, "bob", THREE_PER_MINUTE, 1).consumed()).as("another key").isTrue();
    assertThat(take(buckets.forFilter("other-plugin"), "alice", THREE_PER_MINUTE, 1).consumed())
        .as("the same key in another filter's namespace").isTrue();
    assertThat(take(quota, "alice", new BucketLimit(5, Duration.ofMinutes(1)), 1).remaining())
        .as("another limit for the same key").isEqualTo(4);
    assertThat(take(buckets.forFilter("quota"), "alice", THREE_PER_MINUTE, 1).consumed())
        .as("the same filter name from another route shares the bucket").isFalse();
  }

  @Test
  void anUnusedBucketIsDroppedOnceItWouldBeFullAgain() {
    TokenBuckets quota = buckets.forFilter("quota");
    take(quota, "alice", THREE_PER_MINUTE, 3);
    assertThat(buckets.localBuckets()).isEqualTo(1);
    time.advance(Duration.ofMinutes(2).plusMillis(1));
    assertThat(buckets.localBuckets()).isZero();
    assertThat(take(quota, "alice", THREE_PER_MINUTE, 3).consumed()).isTrue();
  }

  @Test
  void argumentsAreChecked() {
    TokenBuckets quota = buckets.forFilter("quota");
    assertThatThrownBy(() -> quota.tryConsume("k", THREE_PER_MINUTE, 0))
        .hasMessage("tokens: 0 (expected: 1 to the capacity, 3)");
    assertThatThrownBy(() -> quota.tryConsume("k", THREE_PER_MINUTE, 4))
        .hasMessage("tokens: 4 (expected: 1 to the capacity, 3)");
    assertThatThrownBy(() -> quota.tryConsume(null, THREE_PER_MINUTE, 1)).hasMessage("key");
    assertThatThrownBy(() -> new BucketLimit(0, Duration.ofSeconds(1))).hasMessage("capacity: 0 (expected: >= 1)");
    assertThatThrownBy(() -> new BucketLimit(1, Duration.ZERO)).hasMessage("period: PT0S (expected: at least 1ms)");
  }
}
