package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Process-wide services offered to filter factories through
 * {@link io.edgeway.spi.FilterContext#service(Class)}: shared stores, key sources, the event
 * publisher. Registered at start-up before routes are compiled.
 *
 * <p>A service may also be registered {@linkplain #registerPerFilter per filter}: each filter then
 * gets its own instance, built from its name and route (the SPI services a plugin shares are
 * namespaced by the filter's name that way).
 */
public final class GatewayServices {
  private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
  private final Map<Class<?>, PerFilter<?>> perFilter = new ConcurrentHashMap<>();

  /** Builds the instance of a service one filter gets. */
  @FunctionalInterface
  public interface PerFilter<T> {
    /**
     * @param filterName the filter's YAML name ({@code GatewayFilterFactory.name()})
     * @param routeId the route the filter is created for
     */
    T forFilter(String filterName, String routeId);
  }

  public <T> void register(Class<T> type, T service) {
    services.put(requireNonNull(type, "type"), requireNonNull(service, "service"));
  }

  /** Registers a service whose instance depends on the filter asking; it wins over {@link #register}. */
  public <T> void registerPerFilter(Class<T> type, PerFilter<? extends T> factory) {
    perFilter.put(requireNonNull(type, "type"), requireNonNull(factory, "factory"));
  }

  /** A process-wide service, for modules and the core; per-filter services are not found here. */
  public <T> Optional<T> find(Class<T> type) {
    return Optional.ofNullable(type.cast(services.get(type)));
  }

  /** What {@code FilterContext.service(type)} answers to the filter {@code filterName} of {@code routeId}. */
  public <T> Optional<T> find(Class<T> type, String filterName, String routeId) {
    PerFilter<?> factory = perFilter.get(type);
    if (factory != null) {
      return Optional.of(type.cast(factory.forFilter(filterName, routeId)));
    }
    return find(type);
  }
}
