package com.example.edgeway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayResponse;
import io.edgeway.testkit.Await;
import io.edgeway.testkit.ScriptedChain;
import io.edgeway.testkit.TestExchange;
import io.edgeway.testkit.TestFilterContext;
import io.edgeway.testkit.TestRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserAgentBlockFilterTest {
  private final TestFilterContext context = TestFilterContext.forRoute("api");
  private final GatewayFilter filter = new UserAgentBlockFactory()
      .create(new UserAgentBlockFactory.Config(List.of("sqlmap", "Nikto"), null), context);

  @AfterEach
  void close() {
    context.close();
  }

  @Test
  void refusesAListedAgentWithoutCallingTheChain() {
    TestExchange exchange = TestExchange.of(TestRequest.get("/a").header("User-Agent", "sqlmap/1.7"));
    ScriptedChain chain = ScriptedChain.respond(200);

    GatewayResponse response = Await.result(filter.filter(exchange, chain));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.body().buffer().toString()).contains("\"code\":\"user_agent_blocked\"");
    assertThat(chain.calls()).isZero();
  }

  @Test
  void matchesWordsCaseInsensitively() {
    TestExchange exchange = TestExchange.of(TestRequest.get("/a").header("User-Agent", "NIKTO scanner"));
    assertThat(Await.result(filter.filter(exchange, ScriptedChain.respond(200))).status()).isEqualTo(403);
  }

  @Test
  void passesOtherAgentsAndRequestsWithoutOne() {
    ScriptedChain chain = ScriptedChain.respond(200);
    TestExchange browser = TestExchange.of(TestRequest.get("/a").header("User-Agent", "Mozilla/5.0"));
    TestExchange none = TestExchange.of(TestRequest.get("/a"));

    assertThat(Await.result(filter.filter(browser, chain)).status()).isEqualTo(200);
    assertThat(Await.result(filter.filter(none, chain)).status()).isEqualTo(200);
    assertThat(chain.calls()).isEqualTo(2);
  }

  @Test
  void theConfigurationValidatesItself() {
    assertThatThrownBy(() -> new UserAgentBlockFactory.Config(List.of(), null))
        .hasMessage("words: [] (expected: at least one word)");
    assertThatThrownBy(() -> new UserAgentBlockFactory.Config(List.of("x"), 302))
        .hasMessage("status: 302 (expected: 400..499)");
  }
}
