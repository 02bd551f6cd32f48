package io.edgeway.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deterministic synthetic route sets and requests for the large-table test and the JMH benchmark:
 * 40% exact paths, 30% templates, 30% prefixes, spread over exact, wildcard and any hosts, some
 * with a header constraint or explicit methods. Generated routes never conflict.
 */
public final class SyntheticRoutes {

  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
  private static final String[] REQUEST_METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH"};

  /** One request to match. */
  public record Request(String method, String host, String path, Map<String, String> headers) {
    public HeaderLookup headerLookup() {
      return headers::get;
    }
  }

  private SyntheticRoutes() {}

  /** {@code count} routes; payload = id. */
  public static List<RouteSpec<String>> routes(int count, long seed) {
    Random random = new Random(seed);
    int services = Math.max(2, count / 40);
    List<RouteSpec<String>> routes = new ArrayList<>(count);
    Set<String> keys = new HashSet<>();
    int exact = count * 4 / 10;
    int templates = count * 3 / 10;
    while (routes.size() < count) {
      int n = routes.size();
      String path;
      int s = random.nextInt(services);
      int r = random.nextInt(20);
      int i = random.nextInt(50);
      if (n < exact) {
        path = switch (random.nextInt(4)) {
          case 0 -> "/svc" + s + "/res" + r;
          case 1 -> "/svc" + s + "/res" + r + "/";
          default -> "/svc" + s + "/res" + r + "/item" + i;
        };
      } else if (n < exact + templates) {
        path = switch (random.nextInt(3)) {
          case 0 -> "/svc" + s + "/res" + r + "/{id}";
          case 1 -> "/svc" + s + "/{tenant}/res" + r + "/{id}";
          default -> "/svc" + s + "/res" + r + "/{id}/sub/**";
        };
      } else {
        path = switch (random.nextInt(3)) {
          case 0 -> "/svc" + s + "/**";
          case 1 -> "/svc" + s + "/res" + r + "/**";
          default -> "/svc" + s + "/res" + r + "/item" + i + "/**";
        };
      }
      int h = random.nextInt(10);
      String host = h < 5 ? null
          : h < 8 ? "h" + random.nextInt(20) + ".example.com"
          : h < 9 ? "*.example.com"
          : "*.t" + random.nextInt(5) + ".example.com";
      Map<String, String> headers = random.nextInt(7) == 0 ? Map.of("X-Env", "canary") : Map.of();
      Set<String> methods = new TreeSet<>();
      if (random.nextInt(5) < 2) {
        for (String m : METHODS) {
          if (random.nextBoolean()) {
            methods.add(m);
          }
        }
      }
      // At most one route with explicit methods and one for any method per pattern, host and headers.
      String key = PathPattern.parse(path).normalized() + ' ' + host + ' ' + headers + ' ' + methods.isEmpty();
      if (keys.add(key)) {
        String id = "r" + n;
        routes.add(new RouteSpec<>(id, path, methods, host, headers, id));
      }
    }
    return routes;
  }

  /** Builds a table from {@link #routes}. */
  public static RouteTable<String> table(List<RouteSpec<String>> routes) {
    RouteTable.Builder<String> builder = RouteTable.builder();
    routes.forEach(builder::add);
    return builder.build();
  }

  /**
   * {@code count} requests: mostly aimed at a random route (variables filled, a random tail under
   * {@code **}, a host that fits, random method and headers), some near misses.
   */
  public static List<Request> requests(List<RouteSpec<String>> routes, int count, long seed) {
    Random random = new Random(seed);
    int services = Math.max(2, routes.size() / 40);
    List<Request> requests = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      String method = REQUEST_METHODS[random.nextInt(REQUEST_METHODS.length)];
      Map<String, String> headers = random.nextBoolean() ? Map.of("x-env", "canary") : Map.of();
      String host = switch (random.nextInt(4)) {
        case 0 -> null;
        case 1 -> "h" + random.nextInt(20) + ".example.com";
        case 2 -> "a.t" + random.nextInt(5) + ".example.com";
        default -> "other.org";
      };
      String path;
      if (random.nextInt(5) == 0) {
        // Near misses and unknown paths.
        int s = random.nextInt(services);
        path = switch (random.nextInt(4)) {
          case 0 -> "/svc" + s + "x";
          case 1 -> "/svc" + s + "/res" + random.nextInt(20) + "item";
          case 2 -> "/svc" + s + "/res" + random.nextInt(20) + "/item" + random.nextInt(60) + "/";
          default -> "/unknown/" + random.nextInt(100);
        };
      } else {
        RouteSpec<String> route = routes.get(random.nextInt(routes.size()));
        path = fill(route.path(), random);
        if (route.host() != null) {
          host = route.host().startsWith("*.") ? "x" + random.nextInt(3) + route.host().substring(1) : route.host();
        }
      }
      requests.add(new Request(method, host, path, headers));
    }
    return requests;
  }

  private static String fill(String pattern, Random random) {
    StringBuilder out = new StringBuilder();
    int pos = 1;
    while (true) {
      int end = pattern.indexOf('/', pos);
      String segment = pattern.substring(pos, end < 0 ? pattern.length() : end);
      if (segment.equals("**")) {
        int tail = random.nextInt(4);
        if (tail == 0) {
          return out.length() == 0 ? "/" : out.toString();
        }
        for (int t = 1; t < tail; t++) {
          out.append('/').append(random.nextBoolean() ? "res" + random.nextInt(20) : "t" + t);
        }
        out.append('/').append(random.nextInt(3) == 0 ? "" : "leaf");
        return out.toString();
      }
      out.append('/').append(segment.startsWith("{") ? "v" + random.nextInt(1000) : segment);
      if (end < 0) {
        return out.toString();
      }
      pos = end + 1;
    }
  }
}
