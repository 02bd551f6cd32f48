package io.edgeway.metrics;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The collectors' counts and times, read from their MXBeans when scraped.
 *
 * <p>Micrometer's {@code JvmGcMetrics} listens to the JVM's GC notifications instead: after every
 * young collection (tens per second under load) the JVM builds a {@code GcInfo} and the listener
 * records it, on threads that share the event loop's core. That work, and the JIT compiling it
 * long after warm-up (a C2 compile of {@code ObjectName.construct} took 130 ms of that core), cost
 * more than anything it showed. Reading two counters at scrape time costs nothing in between.
 */
final class GcMeters implements MeterBinder {
  static final String PAUSE = "jvm.gc.pause";
  static final String CONCURRENT = "jvm.gc.concurrent.phase.time";

  private final List<GarbageCollectorMXBean> collectors;

  GcMeters() {
    this(ManagementFactory.getGarbageCollectorMXBeans());
  }

  GcMeters(List<GarbageCollectorMXBean> collectors) {
    this.collectors = List.copyOf(collectors);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (GarbageCollectorMXBean collector : collectors) {
      String name = meterName(collector.getName());
      FunctionTimer.builder(name, collector, GcMeters::count, GcMeters::millis, TimeUnit.MILLISECONDS)
          .tag("gc", collector.getName())
          .description(name.equals(PAUSE) ? "Collections that stopped the application, and their time"
              : "Concurrent collection cycles, and their time (the application runs meanwhile)")
          .register(registry);
    }
  }

  /**
   * Concurrent collectors have a bean for their cycles beside the one for their pauses ("ZGC
   * Cycles", "Shenandoah Cycles", "G1 Concurrent GC"); Micrometer names those cycles so too.
   */
  static String meterName(String collector) {
    return collector.endsWith("Cycles") || collector.contains("Concurrent") ? CONCURRENT : PAUSE;
  }

  /** A bean answers -1 when it cannot tell: no sample rather than a negative count. */
  private static long count(GarbageCollectorMXBean collector) {
    return Math.max(0, collector.getCollectionCount());
  }

  private static double millis(GarbageCollectorMXBean collector) {
    return Math.max(0, collector.getCollectionTime());
  }
}
