package io.edgeway.events;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.DefaultGatewayRequest;
import io.edgeway.spi.Body;
import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one request event costs before it reaches the Kafka producer: building it on the event
 * loop ({@link RequestEvents#event}: JSON data, id, the {@link Event}) and appending it to the
 * journal on the publisher thread ({@link Journal#append}: encode, CRC, buffered write; the
 * journal is acknowledged and flushed every 1024 records so that its segments are recycled, as
 * the pipeline's passes do). Run with {@code loadtest/jmh.sh EventEncodingBenchmark -prof gc} to
 * see the bytes allocated per event beside the time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EventEncodingBenchmark {
  private RequestEvents events;
  private DefaultExchange exchange;
  private ExchangeOutcome outcome;
  private Event event;
  private Path dir;
  private Journal journal;
  private int appended;

  @Setup
  public void setUp() throws IOException {
    EventsConfig config = new EventsConfig(true, "/edgeway/bench", null, null, null, null, null, null, null);
    events = new RequestEvents(config, e -> {}, System::currentTimeMillis);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("user-agent", "wrk").add("host", "127.0.0.1:8080");
    DefaultGatewayRequest request = new DefaultGatewayRequest(HttpMethod.GET, "/bench/x", "/bench/x", null,
        "127.0.0.1:8080", "http", "127.0.0.1", Map.of(), headers, Body.empty());
    exchange = new DefaultExchange("5f0c7b1e9a2d4c38", "4bf92f3577b34da6a3ce929d0e0e4736", null, "bench", request,
        null, 0, 0);
    exchange.put(StandardAttributes.UPSTREAM_NANOS, 420_000L);
    exchange.put(StandardAttributes.UPSTREAM_TARGET, "http://127.0.0.1:18081");
    exchange.put(StandardAttributes.ATTEMPTS, 1);
    outcome = new ExchangeOutcome(200, null, 0, 55, 730_000L, false);
    event = events.event(exchange, request, outcome, null);
    dir = Files.createTempDirectory("event-encoding-bench");
    journal = Journal.open(dir, 1L << 30, 64L << 20);
  }

  @TearDown
  public void tearDown() throws IOException {
    journal.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Event requestEvent() {
    return events.event(exchange, exchange.request(), outcome, null);
  }

  @Benchmark
  public long journalAppend() {
    Journal.Span span = journal.append(event);
    if (++appended % 1024 == 0) {
      journal.flush();
      journal.commit(span.end());
    }
    return span.end().offset();
  }
}
