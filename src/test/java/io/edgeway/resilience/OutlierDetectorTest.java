package io.edgeway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.OutlierDetectionConfig;
import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.spi.Percentage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Passive ejection with a hand-driven clock and timers. */
class OutlierDetectorTest {
  private final AtomicLong now = new AtomicLong();
  private final List<String> events = new ArrayList<>();
  private final ManualTimers timers = new ManualTimers();

  /** Timers that fire when the test advances time. */
  final class ManualTimers implements Timers {
    final TreeMap<Long, Runnable> due = new TreeMap<>();
    long nextId;

    @Override
    public long schedule(long delayMillis, Runnable action) {
      long at = now.get() + delayMillis * 1_000_000L;
      while (due.containsKey(at)) {
        at++;
      }
      due.put(at, action);
      lastDelay = delayMillis;
      return nextId++;
    }

    long lastDelay;

    @Override
    public void cancel(long id) {}

    void advance(Duration d) {
      now.addAndGet(d.toNanos());
      while (!due.isEmpty() && due.firstKey() <= now.get()) {
        due.pollFirstEntry().getValue().run();
      }
    }
  }

  private static UpstreamTarget target(int port) {
    return new UpstreamTarget("http://127.0.0.1:" + port, "127.0.0.1", port, false, 1);
  }

  private OutlierDetector detector(List<UpstreamTarget> targets, int maxEjectedPercent) {
    return new OutlierDetector("r", targets, new OutlierDetectionConfig(3, Duration.ofSeconds(30),
        new Percentage(maxEjectedPercent), 4), now::get, timers,
        (type, subject, data) -> events.add(type + ":" + subject + ":" + data.get("reason")));
  }

  @Test
  void consecutiveFailuresEjectUntilTheTimerRestores() {
    UpstreamTarget a = target(1);
    UpstreamTarget b = target(2);
    OutlierDetector d = detector(List.of(a, b), 50);
    d.failed(a);
    d.failed(a);
    d.succeeded(a);
    d.failed(a);
    d.failed(a);
    assertThat(a.isAvailable()).isTrue();
    d.failed(a);
    assertThat(a.isAvailable()).isFalse();
    assertThat(a.isEjected()).isTrue();
    assertThat(timers.lastDelay).isEqualTo(30_000);
    timers.advance(Duration.ofSeconds(29));
    assertThat(a.isAvailable()).isFalse();
    timers.advance(Duration.ofSeconds(1));
    assertThat(a.isAvailable()).isTrue();
    assertThat(events).containsExactly("target.ejected:http://127.0.0.1:1:outlier-detection",
        "target.restored:http://127.0.0.1:1:ejection-expired");
  }

  @Test
  void ejectionTimeGrowsWithEachEjectionUpToTheCap() {
    UpstreamTarget a = target(1);
    UpstreamTarget b = target(2);
    OutlierDetector d = detector(List.of(a, b), 50);
    List<Long> delays = new ArrayList<>();
    for (int round = 0; round < 6; round++) {
      for (int i = 0; i < 3; i++) {
        d.failed(a);
      }
      delays.add(timers.lastDelay);
      timers.advance(Duration.ofMillis(timers.lastDelay));
      assertThat(a.isAvailable()).isTrue();
    }
    assertThat(delays).containsExactly(30_000L, 60_000L, 90_000L, 120_000L, 120_000L, 120_000L);
    assertThat(d.describe(a)).containsEntry("ejections", 6L);
  }

  @Test
  void neverMoreThanMaxEjectedOfTheTargets() {
    UpstreamTarget a = target(1);
    UpstreamTarget b = target(2);
    UpstreamTarget c = target(3);
    UpstreamTarget e = target(4);
    OutlierDetector d = detector(List.of(a, b, c, e), 50);
    for (UpstreamTarget t : List.of(a, b, c, e)) {
      for (int i = 0; i < 5; i++) {
        d.failed(t);
      }
    }
    assertThat(List.of(a, b, c, e).stream().filter(UpstreamTarget::isEjected).count()).isEqualTo(2);
    assertThat(c.isAvailable()).isTrue();
    timers.advance(Duration.ofSeconds(30));
    d.failed(c);
    d.failed(c);
    d.failed(c);
    assertThat(c.isEjected()).as("a slot freed up").isTrue();
  }

  @Test
  void ejectionAndHealthAreIndependentReasons() {
    UpstreamTarget a = target(1);
    OutlierDetector d = detector(List.of(a), 100);
    a.markHealthy(false);
    for (int i = 0; i < 3; i++) {
      d.failed(a);
    }
    timers.advance(Duration.ofSeconds(30));
    assertThat(a.isEjected()).isFalse();
    assertThat(a.isAvailable()).as("still failing health checks").isFalse();
    a.markHealthy(true);
    assertThat(a.isAvailable()).isTrue();
    assertThat(Map.of("n", events.size())).containsEntry("n", 2);
  }
}
