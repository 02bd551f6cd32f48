package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Process-wide services offered to filter factories through
 * {@link io.edgeway.spi.FilterContext#service(Class)}: shared stores, key sources, the event
 * publisher. Registered at start-up before routes are compiled.
 */
public final class GatewayServices {
  private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();

  public <T> void register(Class<T> type, T service) {
    services.put(requireNonNull(type, "type"), requireNonNull(service, "service"));
  }

  public <T> Optional<T> find(Class<T> type) {
    return Optional.ofNullable(type.cast(services.get(type)));
  }
}
