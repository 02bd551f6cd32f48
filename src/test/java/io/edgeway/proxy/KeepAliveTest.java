package io.edgeway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KeepAliveTest {
  private static MultiMap headers(String... pairs) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void http11IsReusableUnlessTheTargetSaysClose() {
    assertThat(KeepAlive.reusable(HttpVersion.HTTP_1_1, headers())).isTrue();
    assertThat(KeepAlive.reusable(HttpVersion.HTTP_1_1, headers("Connection", "keep-alive"))).isTrue();
    assertThat(KeepAlive.reusable(HttpVersion.HTTP_1_1, headers("Connection", "Close"))).isFalse();
    assertThat(KeepAlive.reusable(HttpVersion.HTTP_1_1, headers("Connection", "x-foo, close"))).isFalse();
  }

  @Test
  void http10IsReusableOnlyWithKeepAlive() {
    assertThat(KeepAlive.reusable(HttpVersion.HTTP_1_0, headers())).isFalse();
    assertThat(KeepAlive.reusable(HttpVersion.HTTP_1_0, headers("Connection", "Keep-Alive"))).isTrue();
  }

  @Test
  void keepAliveTimeoutLeavesASafetyMargin() {
    assertThat(KeepAlive.timeoutNanos(headers())).isZero();
    assertThat(KeepAlive.timeoutNanos(headers("Keep-Alive", "max=100"))).isZero();
    assertThat(KeepAlive.timeoutNanos(headers("Keep-Alive", "timeout=bogus"))).isZero();
    assertThat(KeepAlive.timeoutNanos(headers("Keep-Alive", "timeout=5, max=1000")))
        .isEqualTo(TimeUnit.SECONDS.toNanos(4) + 1);
    // One second or less: not reusable after any pause at all.
    assertThat(KeepAlive.timeoutNanos(headers("Keep-Alive", "timeout=1"))).isEqualTo(1);
  }
}
