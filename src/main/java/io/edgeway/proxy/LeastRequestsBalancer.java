package io.edgeway.proxy;

import io.edgeway.spi.Exchange;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Least outstanding requests by "power of two choices" (as Envoy does): pick two targets at
 * random and take the one with fewer in-flight requests relative to its weight. O(1), no global
 * scan, and no herding onto one target when counters are stale.
 */
public final class LeastRequestsBalancer implements LoadBalancer {
  private final UpstreamTarget[] targets;

  public LeastRequestsBalancer(List<UpstreamTarget> targets) {
    this.targets = targets.toArray(new UpstreamTarget[0]);
  }

  @Override
  public UpstreamTarget choose(Exchange exchange) {
    UpstreamTarget[] t = targets;
    if (t.length == 1) {
      return t[0].isAvailable() ? t[0] : null;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    UpstreamTarget a = t[random.nextInt(t.length)];
    UpstreamTarget b = t[random.nextInt(t.length)];
    if (!a.isAvailable()) {
      a = b;
    }
    if (!b.isAvailable()) {
      b = a;
    }
    if (!a.isAvailable()) {
      return firstAvailable(t, random.nextInt(t.length));
    }
    // Compare inFlight/weight without division: a.in * b.w <= b.in * a.w
    return (long) a.inFlight() * b.weight() <= (long) b.inFlight() * a.weight() ? a : b;
  }

  private static UpstreamTarget firstAvailable(UpstreamTarget[] t, int start) {
    for (int i = 0; i < t.length; i++) {
      UpstreamTarget c = t[(start + i) % t.length];
      if (c.isAvailable()) {
        return c;
      }
    }
    return null;
  }
}
