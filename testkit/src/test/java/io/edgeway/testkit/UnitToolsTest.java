package io.edgeway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.spi.GatewayException;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitToolsTest {
  private final GatewayFilter filter =
      new StampFilterFactory().create(new StampFilterFactory.Config("abc"), TestFilterContext.forRoute("r"));

  @Test
  void aFilterRunsAgainstATestExchangeAndAScriptedChain() {
    TestExchange exchange = TestExchange.of(TestRequest.get("/orders/7?x=1").header("Accept", "application/json"));
    ScriptedChain chain = ScriptedChain.respond(200, "hello");

    GatewayResponse response = Await.result(filter.filter(exchange, chain));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().get("X-Stamped")).isEqualTo("yes");
    assertThat(chain.calls()).isEqualTo(1);
    assertThat(chain.lastRequest().headers().get("X-Stamp")).isEqualTo("abc");
    assertThat(chain.lastRequest().path()).isEqualTo("/orders/7");
    assertThat(chain.lastRequest().query()).isEqualTo("x=1");
    assertThat(exchange.get(StampFilterFactory.STAMPED)).isEqualTo("abc");
    assertThat(exchange.attributes()).containsEntry("stamp", "abc");
  }

  @Test
  void aProblemIsRenderedAsTheGatewayRendersIt() {
    TestExchange exchange = TestExchange.of(TestRequest.get("/").header("X-Refuse", "1")).routeId("orders");
    ScriptedChain chain = ScriptedChain.respond(200);

    GatewayResponse response = Await.result(filter.filter(exchange, chain));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.headers().get("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.body().buffer().toString())
        .contains("\"code\":\"refused\"", "\"route\":\"orders\"", "\"requestId\":\"test-request-id\"");
    assertThat(chain.calls()).isZero();
  }

  @Test
  void aChainIsScriptedPerCallAndItsLastStepRepeats() {
    ScriptedChain chain = ScriptedChain.respond(503).then(200).thenFail(new GatewayException(502, "upstream_unreachable", "x"));
    TestExchange exchange = TestExchange.of(TestRequest.get("/"));

    assertThat(Await.result(chain.proceed(exchange)).status()).isEqualTo(503);
    assertThat(Await.result(chain.proceed(exchange)).status()).isEqualTo(200);
    assertThat(Await.failure(chain.proceed(exchange))).isInstanceOf(GatewayException.class);
    assertThat(Await.failure(chain.proceed(exchange))).hasMessage("x");
    assertThat(chain.calls()).isEqualTo(4);
  }

  @Test
  void aSnapshotDoesNotFollowLaterEdits() {
    TestExchange exchange = TestExchange.of(TestRequest.post("/p", "body"));
    ScriptedChain chain = ScriptedChain.respond(200);
    chain.proceed(exchange);
    exchange.request().headers().set("X-Later", "1");
    assertThat(chain.lastRequest().headers().contains("X-Later")).isFalse();
    assertThat(chain.lastRequest().body().toString()).isEqualTo("body");
  }

  @Test
  void completionCallbacksRunOnceWhenTheTestCompletesTheExchange() {
    TestExchange exchange = TestExchange.of(TestRequest.get("/"));
    List<Integer> seen = new ArrayList<>();
    exchange.onComplete(outcome -> seen.add(outcome.status()));
    assertThat(seen).isEmpty();
    exchange.complete(204);
    assertThat(seen).containsExactly(204);
    exchange.onComplete(outcome -> seen.add(outcome.status() + 1)); // late: runs at once
    assertThat(seen).containsExactly(204, 205);
    assertThatThrownBy(() -> exchange.complete(200)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theManualClockMovesOnlyWhenTold() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    clock.advance(Duration.ofMinutes(5));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void blockingWorkRunsConcurrentlyOnTheContextsPoolAndIsRefusedWhileValidating() throws Exception {
    try (TestFilterContext context = TestFilterContext.forRoute("r")) {
      java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(3);
      List<io.vertx.core.Future<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        tasks.add(context.blocking().run(() -> {
          together.countDown();
          return together.await(10, java.util.concurrent.TimeUnit.SECONDS);
        }));
      }
      for (io.vertx.core.Future<Boolean> task : tasks) {
        assertThat(Await.result(task)).isTrue();
      }
    }
    try (TestFilterContext validation = TestFilterContext.forRoute("r").validating(true)) {
      assertThat(Await.failure(validation.blocking().run(() -> 1))).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closingTheContextRunsTheFiltersCloseActions() {
    List<String> closed = new ArrayList<>();
    TestFilterContext context = TestFilterContext.forRoute("r");
    context.onClose(() -> closed.add("timer"));
    context.onClose(() -> closed.add("client"));
    context.close();
    assertThat(closed).containsExactly("timer", "client");
  }
}
