package io.edgeway.examples.stats;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-route request and error counts and latency percentiles from Edgeway
 * {@code io.edgeway.request.completed.v1} events, de-duplicated by {@code ce_id} (delivery is at
 * least once). Confined to one thread (the consumer's event loop).
 */
public final class RequestStats {
  static final String TYPE = "io.edgeway.request.completed.v1";
  private static final int WINDOW = 10_000;

  private final Map<String, Route> routes = new TreeMap<>();
  private final Map<String, Boolean> seen;
  private long duplicates;
  private long ignored;

  public RequestStats(int dedupWindow) {
    this.seen = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > dedupWindow;
      }
    };
  }

  /** Accepts one event; returns false for a duplicate or an event of another type. */
  public boolean accept(String ceId, String ceType, JsonObject data) {
    if (!TYPE.equals(ceType) || ceId == null || data == null) {
      ignored++;
      return false;
    }
    if (seen.put(ceId, Boolean.TRUE) != null) {
      duplicates++;
      return false;
    }
    String route = data.getString("route");
    Route r = routes.computeIfAbsent(route == null ? "(no route)" : route, k -> new Route());
    r.requests++;
    int status = data.getInteger("status", 0);
    if (status >= 500) {
      r.serverErrors++;
    } else if (status >= 400) {
      r.clientErrors++;
    }
    JsonObject timings = data.getJsonObject("timings");
    if (timings != null && timings.getValue("totalMs") instanceof Number total) {
      r.latencies[(int) (r.samples++ % WINDOW)] = total.doubleValue();
    }
    return true;
  }

  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    routes.forEach((id, r) -> out.put(id, r.toJson()));
    return new JsonObject().put("routes", out).put("duplicates", duplicates).put("ignored", ignored);
  }

  private static final class Route {
    long requests;
    long clientErrors;
    long serverErrors;
    long samples;
    final double[] latencies = new double[WINDOW];

    JsonObject toJson() {
      double[] sorted = Arrays.copyOf(latencies, (int) Math.min(samples, WINDOW));
      Arrays.sort(sorted);
      return new JsonObject().put("requests", requests).put("clientErrors", clientErrors)
          .put("serverErrors", serverErrors)
          .put("latencyMs", new JsonObject().put("p50", percentile(sorted, 0.50)).put("p90", percentile(sorted, 0.90))
              .put("p99", percentile(sorted, 0.99)));
    }

    private static Double percentile(double[] sorted, double q) {
      if (sorted.length == 0) {
        return null;
      }
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }
  }
}
