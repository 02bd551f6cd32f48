package io.edgeway.proxy;

import io.edgeway.spi.Exchange;
import io.edgeway.spi.StandardAttributes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Consistent hashing on a ring of virtual nodes (100 per unit of weight), so adding or removing a
 * target only moves the keys of that target. The key comes from {@code hash-on}: {@code ip},
 * {@code path}, {@code consumer} (falls back to the IP) or {@code header:Name} (falls back to the
 * IP when absent). Unavailable targets are skipped by walking the ring.
 */
public final class ConsistentHashBalancer implements LoadBalancer {
  private static final int VNODES_PER_WEIGHT = 100;

  private final long[] ring;
  private final UpstreamTarget[] owners;
  private final Function<Exchange, String> keyOf;

  public ConsistentHashBalancer(List<UpstreamTarget> targets, String hashOn) {
    this.keyOf = keyExtractor(hashOn);
    int total = 0;
    for (UpstreamTarget t : targets) {
      total += t.weight() * VNODES_PER_WEIGHT;
    }
    long[] points = new long[total];
    UpstreamTarget[] pointOwners = new UpstreamTarget[total];
    int n = 0;
    for (UpstreamTarget t : targets) {
      for (int v = 0; v < t.weight() * VNODES_PER_WEIGHT; v++) {
        points[n] = hash(t.url() + "#" + v);
        pointOwners[n] = t;
        n++;
      }
    }
    Integer[] order = new Integer[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(points[a], points[b]));
    this.ring = new long[total];
    this.owners = new UpstreamTarget[total];
    for (int i = 0; i < total; i++) {
      ring[i] = points[order[i]];
      owners[i] = pointOwners[order[i]];
    }
  }

  @Override
  public UpstreamTarget choose(Exchange exchange) {
    long h = hash(keyOf.apply(exchange));
    int i = Arrays.binarySearch(ring, h);
    if (i < 0) {
      i = -i - 1;
    }
    for (int step = 0; step < owners.length; step++) {
      UpstreamTarget t = owners[(i + step) % owners.length];
      if (t.isAvailable()) {
        return t;
      }
    }
    return null;
  }

  private static Function<Exchange, String> keyExtractor(String hashOn) {
    if (hashOn == null || hashOn.equals("ip")) {
      return ex -> ex.request().clientIp();
    }
    if (hashOn.equals("path")) {
      return ex -> ex.request().path();
    }
    if (hashOn.equals("consumer")) {
      return ex -> {
        String consumer = ex.get(StandardAttributes.CONSUMER);
        return consumer != null ? consumer : ex.request().clientIp();
      };
    }
    if (hashOn.startsWith("header:")) {
      String header = hashOn.substring("header:".length());
      return ex -> {
        String v = ex.request().headers().get(header);
        return v != null ? v : ex.request().clientIp();
      };
    }
    throw new IllegalArgumentException(hashOn + " (expected: ip, path, consumer or header:<Name>)");
  }

  /** 64-bit FNV-1a with a final avalanche (murmur3 fmix64), stable across JVMs. */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
