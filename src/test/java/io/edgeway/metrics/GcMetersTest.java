package io.edgeway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class GcMetersTest {

  @Test
  void readsEachCollectorsCountAndTimeWhenRead() {
    FakeCollector young = new FakeCollector("Copy", 3, 12);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new GcMeters(List.of(young, new FakeCollector("MarkSweepCompact", 1, 40))).bindTo(registry);

    FunctionTimer copy = registry.get("jvm.gc.pause").tag("gc", "Copy").functionTimer();
    assertThat(copy.count()).isEqualTo(3);
    assertThat(copy.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12);
    young.count = 10;
    young.millis = 30;
    assertThat(copy.count()).isEqualTo(10);
    assertThat(copy.totalTime(TimeUnit.SECONDS)).isEqualTo(0.03);
    assertThat(registry.get("jvm.gc.pause").tag("gc", "MarkSweepCompact").functionTimer().count()).isEqualTo(1);
  }

  @Test
  void concurrentCyclesAreNotPauses() {
    assertThat(GcMeters.meterName("ZGC Cycles")).isEqualTo(GcMeters.CONCURRENT);
    assertThat(GcMeters.meterName("Shenandoah Cycles")).isEqualTo(GcMeters.CONCURRENT);
    assertThat(GcMeters.meterName("G1 Concurrent GC")).isEqualTo(GcMeters.CONCURRENT);
    assertThat(GcMeters.meterName("ZGC Pauses")).isEqualTo(GcMeters.PAUSE);
    assertThat(GcMeters.meterName("G1 Young Generation")).isEqualTo(GcMeters.PAUSE);
  }

  @Test
  void anUnknownCountIsZeroNotNegative() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new GcMeters(List.of(new FakeCollector("Copy", -1, -1))).bindTo(registry);
    FunctionTimer copy = registry.get("jvm.gc.pause").functionTimer();
    assertThat(copy.count()).isZero();
    assertThat(copy.totalTime(TimeUnit.MILLISECONDS)).isZero();
  }

  @Test
  void thisJvmsCollectorsAreBound() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new GcMeters().bindTo(registry);
    assertThat(registry.find("jvm.gc.pause").functionTimers())
        .hasSizeGreaterThanOrEqualTo(1)
        .hasSizeLessThanOrEqualTo(ManagementFactory.getGarbageCollectorMXBeans().size());
  }

  private static final class FakeCollector implements GarbageCollectorMXBean {
    private final String name;
    long count;
    long millis;

    FakeCollector(String name, long count, long millis) {
      this.name = name;
      this.count = count;
      this.millis = millis;
    }

    @Override
    public long getCollectionCount() {
      return count;
    }

    @Override
    public long getCollectionTime() {
      return millis;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public String[] getMemoryPoolNames() {
      return new String[0];
    }

    @Override
    public ObjectName getObjectName() {
      return null;
    }
  }
}
