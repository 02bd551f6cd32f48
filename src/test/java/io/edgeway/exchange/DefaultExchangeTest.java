package io.edgeway.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.spi.AttributeKey;
import io.edgeway.spi.Body;
import io.edgeway.spi.ExchangeOutcome;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultExchangeTest {
  private static DefaultExchange exchange() {
    DefaultGatewayRequest request = new DefaultGatewayRequest(HttpMethod.GET, "/a", "/a", null, "h", "http",
        "127.0.0.1", Map.of(), MultiMap.caseInsensitiveMultiMap(), Body.empty());
    return new DefaultExchange("id", "0".repeat(32), null, "r", request, null, 0, 0);
  }

  @Test
  void everyCompletionCallbackRunsOnceInOrderEvenWhenOneThrows() {
    DefaultExchange ex = exchange();
    List<String> ran = new ArrayList<>();
    ex.onComplete(o -> ran.add("first"));
    ex.onComplete(o -> {
      throw new IllegalStateException("a misbehaving plugin");
    });
    for (int i = 0; i < 6; i++) {
      int n = i;
      ex.onComplete(o -> ran.add("later-" + n));
    }
    ExchangeOutcome outcome = new ExchangeOutcome(200, null, 0, 0, 1, false);
    ex.complete(outcome);
    ex.complete(outcome);
    assertThat(ran).containsExactly("first", "later-0", "later-1", "later-2", "later-3", "later-4", "later-5");

    // Registered after completion (a background refresh running the chain again): runs at once.
    List<ExchangeOutcome> late = new ArrayList<>();
    ex.onComplete(late::add);
    assertThat(late).containsExactly(outcome);
  }

  @Test
  void attributesAreTypedAndGrowPastTheInitialArray() {
    DefaultExchange ex = exchange();
    List<AttributeKey<Integer>> keys = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      keys.add(AttributeKey.of("k" + i, Integer.class));
    }
    for (int i = 0; i < keys.size(); i++) {
      ex.put(keys.get(i), i);
    }
    for (int i = 0; i < keys.size(); i++) {
      assertThat(ex.get(keys.get(i))).isEqualTo(i);
    }
    ex.put(keys.get(3), null);
    assertThat(ex.get(keys.get(3))).isNull();
  }
}
