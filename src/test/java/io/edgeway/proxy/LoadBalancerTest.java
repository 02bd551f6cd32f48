package io.edgeway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.exchange.DefaultExchange;
import io.edgeway.exchange.DefaultGatewayRequest;
import io.edgeway.spi.Body;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {
  private final UpstreamTarget a = new UpstreamTarget("http://a:1", "a", 1, false, 1);
  private final UpstreamTarget b = new UpstreamTarget("http://b:1", "b", 1, false, 2);
  private final UpstreamTarget c = new UpstreamTarget("http://c:1", "c", 1, false, 1);

  private static DefaultExchange exchange(String clientIp, String path) {
    DefaultGatewayRequest request = new DefaultGatewayRequest(HttpMethod.GET, path, path, null, "h", "http", clientIp,
        Map.of(), MultiMap.caseInsensitiveMultiMap(), Body.empty());
    return new DefaultExchange("id", "0".repeat(32), null, "r", request, null, 0, 0);
  }

  @Test
  void roundRobinHonoursWeightsAndInterleaves() {
    RoundRobinBalancer rr = new RoundRobinBalancer(List.of(a, b, c));
    Map<UpstreamTarget, Integer> counts = new HashMap<>();
    UpstreamTarget previous = null;
    int run = 0;
    int longestRun = 0;
    for (int i = 0; i < 400; i++) {
      UpstreamTarget t = rr.choose(exchange("1.1.1.1", "/"));
      counts.merge(t, 1, Integer::sum);
      run = t == previous ? run + 1 : 1;
      longestRun = Math.max(longestRun, run);
      previous = t;
    }
    assertThat(counts).containsEntry(a, 100).containsEntry(b, 200).containsEntry(c, 100);
    // Smooth weighting (b a c b | b a c b ...) never sends a burst of the heavy target's share at once.
    assertThat(longestRun).isLessThanOrEqualTo(2);
  }

  @Test
  void roundRobinSkipsUnavailableTargetsAndReportsNoneLeft() {
    RoundRobinBalancer rr = new RoundRobinBalancer(List.of(a, b));
    b.setAvailable(false);
    for (int i = 0; i < 10; i++) {
      assertThat(rr.choose(exchange("1.1.1.1", "/"))).isSameAs(a);
    }
    a.setAvailable(false);
    assertThat(rr.choose(exchange("1.1.1.1", "/"))).isNull();
  }

  @Test
  void leastRequestsPrefersTheLessBusyTarget() {
    LeastRequestsBalancer lr = new LeastRequestsBalancer(List.of(a, c));
    for (int i = 0; i < 5; i++) {
      a.requestStarted();
    }
    int toC = 0;
    for (int i = 0; i < 200; i++) {
      toC += lr.choose(exchange("1.1.1.1", "/")) == c ? 1 : 0;
    }
    // Power of two choices: whenever both are sampled, the idle one wins.
    assertThat(toC).isGreaterThan(100);
  }

  @Test
  void consistentHashIsStableAndMovesFewKeysWhenATargetLeaves() {
    ConsistentHashBalancer three = new ConsistentHashBalancer(List.of(a, b, c), "ip");
    Map<String, UpstreamTarget> before = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      String ip = "10.0." + (i / 250) + "." + (i % 250);
      UpstreamTarget t = three.choose(exchange(ip, "/"));
      assertThat(three.choose(exchange(ip, "/"))).isSameAs(t);
      before.put(ip, t);
    }
    c.setAvailable(false);
    int moved = 0;
    for (Map.Entry<String, UpstreamTarget> e : before.entrySet()) {
      UpstreamTarget now = three.choose(exchange(e.getKey(), "/"));
      assertThat(now).isNotSameAs(c);
      if (e.getValue() != c && now != e.getValue()) {
        moved++;
      }
    }
    assertThat(moved).as("keys of the remaining targets stay where they were").isZero();
  }

  @Test
  void consistentHashOnPath() {
    ConsistentHashBalancer byPath = new ConsistentHashBalancer(List.of(a, b, c), "path");
    UpstreamTarget first = byPath.choose(exchange("1.1.1.1", "/users/7"));
    assertThat(byPath.choose(exchange("9.9.9.9", "/users/7"))).isSameAs(first);
  }
}
