package io.edgeway.metrics;

import static java.util.Objects.requireNonNull;

import io.edgeway.runtime.MetricSink;
import io.edgeway.runtime.MetricSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what {@link MetricSource}s report at scrape time into Micrometer meters: a series seen
 * for the first time becomes a function counter or gauge reading its sample; a series no source
 * reported in this scrape (a route a reload removed) is removed from the registry. Modules thus
 * export numbers without depending on Micrometer, and the set of series follows the running
 * configuration.
 */
final class SampledMeters implements MetricSink {
  private static final Logger log = LoggerFactory.getLogger(SampledMeters.class);

  private record Key(String name, List<String> labels) {}

  /** The latest value of one series; read by the registry while it writes the scrape. */
  private static final class Sample {
    volatile double value;
    long seen;
    Meter meter;
  }

  private final MeterRegistry registry;
  private final Map<Key, Sample> samples = new HashMap<>();
  private long scrape;

  SampledMeters(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  /** Asks every source for its values, then drops the series none reported. Scrapes are serialised. */
  synchronized void refresh(List<MetricSource> sources) {
    scrape++;
    for (MetricSource source : sources) {
      try {
        source.collect(this);
      } catch (RuntimeException e) {
        // One broken source must not take the whole scrape (and every other metric) down.
        log.warn("metric source {} failed: {}", source.getClass().getName(), e.toString(), e);
      }
    }
    samples.values().removeIf(sample -> {
      if (sample.seen == scrape) {
        return false;
      }
      registry.remove(sample.meter);
      return true;
    });
  }

  @Override
  public void counter(String name, String help, double value, String... labels) {
    record(name, help, value, labels, true);
  }

  @Override
  public void gauge(String name, String help, double value, String... labels) {
    record(name, help, value, labels, false);
  }

  private void record(String name, String help, double value, String[] labels, boolean counter) {
    requireNonNull(name, "name");
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("labels: " + Arrays.toString(labels) + " (expected: name, value pairs)");
    }
    Key key = new Key(name, List.of(labels));
    Sample sample = samples.get(key);
    if (sample == null) {
      sample = new Sample();
      sample.meter = counter ? registerCounter(name, help, labels, sample) : registerGauge(name, help, labels, sample);
      samples.put(key, sample);
    }
    sample.value = value;
    sample.seen = scrape;
  }

  private Meter registerCounter(String name, String help, String[] labels, Sample sample) {
    // Micrometer adds _total to counters itself.
    String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    return FunctionCounter.builder(base, sample, s -> s.value).description(help).tags(Tags.of(labels))
        .register(registry);
  }

  private Meter registerGauge(String name, String help, String[] labels, Sample sample) {
    return Gauge.builder(name, sample, s -> s.value).description(help).tags(Tags.of(labels)).strongReference(true)
        .register(registry);
  }
}
