package com.example.edgeway;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.spi.ExchangeOutcome;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.StandardAttributes;
import io.edgeway.testkit.Await;
import io.edgeway.testkit.ManualClock;
import io.edgeway.testkit.ScriptedChain;
import io.edgeway.testkit.TestExchange;
import io.edgeway.testkit.TestFilterContext;
import io.edgeway.testkit.TestRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileFilterTest {
  @TempDir
  Path dir;

  @Test
  void writesOneLinePerCompletedRequestOffTheEventLoop() throws Exception {
    Path file = dir.resolve("audit.log");
    ManualClock clock = new ManualClock(Instant.parse("2026-05-04T10:00:00Z"));
    try (TestFilterContext context = TestFilterContext.forRoute("api").clock(clock)) {
      GatewayFilter filter = new AuditFileFactory().create(new AuditFileFactory.Config(file.toString(), null), context);
      TestExchange exchange = TestExchange.of(TestRequest.get("/orders?secret=1"));

      Await.result(filter.filter(exchange, ScriptedChain.respond(201)));
      assertThat(exchange.get(AuditFileFilter.RECEIVED_AT)).isEqualTo("2026-05-04T10:00:00Z");
      assertThat(file).doesNotExist(); // nothing is written before the response is out

      exchange.put(StandardAttributes.CONSUMER, "alice");
      exchange.complete(new ExchangeOutcome(201, null, 0, 42, 1_000_000, false));

      assertThat(awaitLines(file, 1)).containsExactly("2026-05-04T10:00:00Z GET /orders 201 alice 42");
    }
  }

  @Test
  void theValidationPassOpensNothing() {
    Path file = dir.resolve("never.log");
    try (TestFilterContext context = TestFilterContext.forRoute("api").validating(true)) {
      new AuditFileFactory().create(new AuditFileFactory.Config(file.toString(), true), context);
      assertThat(context.closeActions()).isZero();
    }
    assertThat(file).doesNotExist();
  }

  /** Waits (bounded) for the worker pool to write {@code count} lines. */
  static List<String> awaitLines(Path file, int count) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        List<String> lines = Files.readAllLines(file);
        if (lines.size() >= count) {
          return lines;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("fewer than " + count + " lines in " + file + " after 10 s");
  }
}
