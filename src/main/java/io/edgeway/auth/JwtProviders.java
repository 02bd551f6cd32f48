package io.edgeway.auth;

import static java.util.Objects.requireNonNull;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code jwt-providers} of this gateway, built once at start-up by {@link AuthModule} and
 * offered to filter factories as a service.
 */
public final class JwtProviders {
  private final Map<String, JwtProvider> byName;
  private final Clock clock;

  JwtProviders(Map<String, JwtProvider> byName, Clock clock) {
    this.byName = Map.copyOf(requireNonNull(byName, "byName"));
    this.clock = requireNonNull(clock, "clock");
  }

  public Optional<JwtProvider> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Set<String> names() {
    return byName.keySet();
  }

  Clock clock() {
    return clock;
  }

  /** Status of every provider for the admin API. */
  JsonObject status() {
    Map<String, Object> out = new LinkedHashMap<>();
    byName.keySet().stream().sorted().forEach(n -> out.put(n, byName.get(n).status()));
    return new JsonObject(out);
  }
}
