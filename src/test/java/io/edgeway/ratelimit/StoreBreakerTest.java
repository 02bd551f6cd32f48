package io.edgeway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StoreBreakerTest {
  private final AtomicLong now = new AtomicLong(5_000);
  private final List<String> transitions = new ArrayList<>();
  private final StoreBreaker breaker = new StoreBreaker(3, 1_000, now::get, new StoreBreaker.Listener() {
    @Override
    public void opened(Throwable cause) {
      transitions.add("opened");
    }

    @Override
    public void closed() {
      transitions.add("closed");
    }
  });

  @Test
  void opensAfterConsecutiveFailuresOnlyOnceAndASuccessResetsTheCount() {
    breaker.onFailure(new RuntimeException());
    breaker.onFailure(new RuntimeException());
    breaker.onSuccess();
    breaker.onFailure(new RuntimeException());
    breaker.onFailure(new RuntimeException());
    assertThat(breaker.allowRequest()).isTrue();
    breaker.onFailure(new RuntimeException());
    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.allowRequest()).isFalse();
    breaker.onFailure(new RuntimeException());
    assertThat(transitions).containsExactly("opened");
  }

  @Test
  void afterCoolDownOneProbeGoesThroughAndItsOutcomeDecides() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure(new RuntimeException());
    }
    now.addAndGet(999);
    assertThat(breaker.allowRequest()).isFalse();
    now.addAndGet(1);
    assertThat(breaker.allowRequest()).isTrue();
    assertThat(breaker.allowRequest()).as("only one probe").isFalse();
    breaker.onFailure(new RuntimeException());
    assertThat(breaker.allowRequest()).as("failed probe: a new cool-down").isFalse();
    now.addAndGet(1_000);
    assertThat(breaker.allowRequest()).isTrue();
    breaker.onSuccess();
    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.allowRequest()).isTrue();
    assertThat(breaker.allowRequest()).isTrue();
    assertThat(transitions).containsExactly("opened", "closed");
  }
}
