package io.edgeway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.spi.Percentage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's state machine with an injected clock, no sockets. */
class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<String> events = new ArrayList<>();

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return new CircuitBreaker("r", config, now::get, (type, subject, data) -> events.add(type + ":" + subject));
  }

  private static CircuitBreakerConfig config(Integer minimumCalls, Integer consecutive, CircuitBreakerConfig.SlowCallConfig slow) {
    return new CircuitBreakerConfig(new Percentage(50), minimumCalls, Duration.ofSeconds(10), consecutive, slow,
        Duration.ofSeconds(10), 2, null, null);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void failureRateOpensOnlyOnceMinimumCallsWereSeen() {
    CircuitBreaker b = breaker(config(10, null, null));
    for (int i = 0; i < 9; i++) {
      b.onFailure(b.tryAcquire(), 1);
    }
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    b.onFailure(b.tryAcquire(), 1);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(events).containsExactly("circuit.opened:r");
  }

  @Test
  void failureRateBelowThresholdKeepsItClosed() {
    CircuitBreaker b = breaker(config(10, null, null));
    for (int i = 0; i < 30; i++) {
      CircuitBreaker.Phase p = b.tryAcquire();
      if (i % 3 == 0) {
        b.onFailure(p, 1);
      } else {
        b.onSuccess(p, 1);
      }
    }
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    CircuitBreaker b = breaker(config(4, null, null));
    for (int i = 0; i < 3; i++) {
      b.onFailure(b.tryAcquire(), 1);
    }
    advance(Duration.ofSeconds(11));
    b.onFailure(b.tryAcquire(), 1);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void consecutiveFailuresOpenAndASuccessResetsTheRun() {
    CircuitBreaker b = breaker(config(1000, 3, null));
    b.onFailure(b.tryAcquire(), 1);
    b.onFailure(b.tryAcquire(), 1);
    b.onSuccess(b.tryAcquire(), 1);
    b.onFailure(b.tryAcquire(), 1);
    b.onFailure(b.tryAcquire(), 1);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    b.onFailure(b.tryAcquire(), 1);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void slowCallRateOpens() {
    CircuitBreaker b = breaker(config(4, null,
        new CircuitBreakerConfig.SlowCallConfig(Duration.ofSeconds(2), new Percentage(75))));
    long slow = Duration.ofSeconds(3).toNanos();
    b.onSuccess(b.tryAcquire(), 1);
    b.onSuccess(b.tryAcquire(), slow);
    b.onSuccess(b.tryAcquire(), slow);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    b.onSuccess(b.tryAcquire(), slow);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void openRefusesUntilOpenForThenAdmitsLimitedProbesAndClosesWhenAllSucceed() {
    CircuitBreaker b = breaker(config(1000, 1, null));
    b.onFailure(b.tryAcquire(), 1);
    assertThat(b.tryAcquire()).isNull();
    assertThat(b.retryAfterSeconds()).isEqualTo(10);
    advance(Duration.ofMillis(9_500));
    assertThat(b.tryAcquire()).isNull();
    assertThat(b.retryAfterSeconds()).isEqualTo(1);
    advance(Duration.ofMillis(500));

    CircuitBreaker.Phase p1 = b.tryAcquire();
    CircuitBreaker.Phase p2 = b.tryAcquire();
    assertThat(p1).isNotNull();
    assertThat(p1.state).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(p2).isSameAs(p1);
    assertThat(b.tryAcquire()).as("only half-open-calls probes").isNull();

    b.onSuccess(p1, 1);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    b.onSuccess(p2, 1);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(events).containsExactly("circuit.opened:r", "circuit.half-opened:r", "circuit.closed:r");
    assertThat(b.describe()).containsEntry("state", "closed");
  }

  @Test
  void aFailedProbeOpensAgainAndAnIgnoredProbeGivesItsPermitBack() {
    CircuitBreaker b = breaker(config(1000, 1, null));
    b.onFailure(b.tryAcquire(), 1);
    advance(Duration.ofSeconds(10));
    CircuitBreaker.Phase p1 = b.tryAcquire();
    CircuitBreaker.Phase p2 = b.tryAcquire();
    b.onIgnored(p2);
    assertThat(b.tryAcquire()).as("the ignored probe's permit is free again").isSameAs(p1);
    b.onFailure(p1, 1);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(b.tryAcquire()).isNull();
    assertThat(events).containsExactly("circuit.opened:r", "circuit.half-opened:r", "circuit.opened:r");
  }

  @Test
  void anOutcomeFromBeforeATransitionDoesNotMoveTheNewState() {
    CircuitBreaker b = breaker(config(1000, 2, null));
    CircuitBreaker.Phase old1 = b.tryAcquire();
    CircuitBreaker.Phase old2 = b.tryAcquire();
    CircuitBreaker.Phase old3 = b.tryAcquire();
    b.onFailure(old1, 1);
    b.onFailure(old2, 1);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.OPEN);
    advance(Duration.ofSeconds(10));
    CircuitBreaker.Phase probe = b.tryAcquire();
    b.onFailure(old3, 1);
    assertThat(b.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    b.onSuccess(probe, 1);
    assertThat(b.tryAcquire()).isNotNull();
  }

  @Test
  void onlyFiveHundredsAreAcceptedAsFailureStatuses() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CircuitBreakerConfig(null, null, null, null, null,
        null, null, List.of(500, 404), null)).hasMessageContaining("failure-statuses[1]: 404");
  }
}
