package io.edgeway.testing;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Required;
import io.edgeway.spi.Stage;
import io.vertx.core.Future;
import java.util.List;

/**
 * A test plugin written against the SPI only, with the config shapes plugins use: a required list,
 * a required primitive, an optional boxed value with a default, and a constructor check that
 * points at one list element. Answers {@code deny-status} to clients whose IPv4 address is in no
 * {@code allow} network.
 *
 * <p>YAML: {@code - test-ip-filter: { allow: [10.0.0.0/8], deny-status: 403, log-denied: true }}
 */
public final class TestIpFilterFactory implements GatewayFilterFactory<TestIpFilterFactory.Config> {

  /** {@code allow}: IPv4 networks ({@code a.b.c.d/n}); {@code deny-status}: 400..499. */
  public record Config(@Required List<String> allow, int denyStatus, Boolean logDenied) {
    public Config {
      for (int i = 0; i < allow.size(); i++) {
        if (network(allow.get(i)) == null) {
          throw new IllegalArgumentException("allow[" + i + "]: " + allow.get(i)
              + " (expected: an IPv4 network such as 10.0.0.0/8)");
        }
      }
      if (denyStatus < 400 || denyStatus > 499) {
        throw new IllegalArgumentException("deny-status: " + denyStatus + " (expected: 400..499)");
      }
      logDenied = logDenied != null && logDenied;
    }
  }

  @Override
  public String name() {
    return "test-ip-filter";
  }

  @Override
  public Stage stage() {
    return Stage.EDGE;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public GatewayFilter create(Config config, FilterContext context) {
    long[][] networks = config.allow().stream().map(TestIpFilterFactory::network).toArray(long[][]::new);
    int status = config.denyStatus();
    return (exchange, chain) -> {
      Long address = address(exchange.request().clientIp());
      if (address != null) {
        for (long[] network : networks) {
          if ((address & network[1]) == network[0]) {
            return chain.proceed(exchange);
          }
        }
      }
      return Future.succeededFuture(exchange.problem(status, "ip_denied", "Client address not allowed"));
    };
  }

  /** {base, mask}, or null when {@code text} is not {@code a.b.c.d/n}. */
  static long[] network(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return null;
    }
    Long base = address(text.substring(0, slash));
    int prefix;
    try {
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (base == null || prefix < 0 || prefix > 32) {
      return null;
    }
    long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    return new long[] {base & mask, mask};
  }

  private static Long address(String text) {
    if (text == null) {
      return null;
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return null;
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return null;
      }
      value = (value << 8) | octet;
    }
    return value;
  }
}
