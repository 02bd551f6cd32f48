package io.edgeway.proxy;

import io.edgeway.spi.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin. The smooth weighted sequence (nginx's algorithm) is computed once at load
 * time, so choosing is one atomic increment and an array read; unavailable targets are skipped.
 */
public final class RoundRobinBalancer implements LoadBalancer {
  private final UpstreamTarget[] schedule;
  private final AtomicLong next = new AtomicLong();

  public RoundRobinBalancer(List<UpstreamTarget> targets) {
    this.schedule = smoothWeightedSchedule(targets);
  }

  @Override
  public UpstreamTarget choose(Exchange exchange) {
    UpstreamTarget[] s = schedule;
    long start = next.getAndIncrement();
    for (int i = 0; i < s.length; i++) {
      UpstreamTarget t = s[(int) Math.floorMod(start + i, (long) s.length)];
      if (t.isAvailable()) {
        return t;
      }
    }
    return null;
  }

  static UpstreamTarget[] smoothWeightedSchedule(List<UpstreamTarget> targets) {
    int total = 0;
    for (UpstreamTarget t : targets) {
      total += t.weight();
    }
    int[] current = new int[targets.size()];
    List<UpstreamTarget> out = new ArrayList<>(total);
    for (int n = 0; n < total; n++) {
      int best = 0;
      for (int i = 0; i < targets.size(); i++) {
        current[i] += targets.get(i).weight();
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      out.add(targets.get(best));
    }
    return out.toArray(new UpstreamTarget[0]);
  }
}
