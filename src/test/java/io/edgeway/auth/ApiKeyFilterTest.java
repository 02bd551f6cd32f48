package io.edgeway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.spi.GatewayResponse;
import io.edgeway.spi.StandardAttributes;
import io.vertx.core.Future;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyFilterTest {
  final ApiKeyFilterFactory.ApiKeyFilter filter = new ApiKeyFilterFactory.ApiKeyFilter(
      new ApiKeyConfig(Map.of("mobile", "mobile-key-0123456789", "web", "web-key-0123456789abc"), null, null, null));

  GatewayResponse run(TestExchange ex) {
    return filter.filter(ex, e -> Future.succeededFuture(GatewayResponse.of(200))).result();
  }

  @Test
  void keyNameBecomesTheConsumerAndTheKeyIsNotForwarded() {
    TestExchange ex = new TestExchange(null, "X-Api-Key", "mobile-key-0123456789");
    assertThat(run(ex).status()).isEqualTo(200);
    assertThat(ex.get(StandardAttributes.CONSUMER)).isEqualTo("mobile");
    assertThat(ex.request().headers().contains("X-Api-Key")).isFalse();
  }

  @Test
  void wrongMissingOrRepeatedKeysAreRejected() {
    GatewayResponse wrong = run(new TestExchange(null, "X-Api-Key", "mobile-key-012345678"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.headers().get("WWW-Authenticate")).startsWith("ApiKey realm=\"edgeway\"");
    assertThat(run(new TestExchange(null)).status()).isEqualTo(401);
    assertThat(run(new TestExchange(null, "X-Api-Key", "a", "X-Api-Key", "b")).status()).isEqualTo(400);
  }

  @Test
  void shortOrSharedKeysAreConfigErrorsThatNeverEchoTheKey() {
    assertThatThrownBy(() -> new ApiKeyConfig(Map.of("a", "short"), null, null, null))
        .hasMessage("keys: a (expected: a key of at least 16 characters)");
    assertThatThrownBy(() -> new ApiKeyConfig(Map.of("a", "same-key-0123456789", "b", "same-key-0123456789"), null,
        null, null)).hasMessageContaining("one consumer only").hasMessageNotContaining("same-key");
    assertThat(new ApiKeyConfig(Map.of("a", "secret-value-0123456789"), null, null, null).toString())
        .doesNotContain("secret-value");
  }
}
