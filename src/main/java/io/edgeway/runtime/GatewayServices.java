package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Process-wide services offered to filter factories through
 * {@link io.edgeway.spi.FilterContext#service(Class)}: shared stores, key sources, the event
 * publisher. Registered at start-up before routes are compiled.
 *
 * <p>A service may also be registered {@linkplain #registerPerFilter per filter}: each filter then
 * gets its own instance, built from its name and route (the SPI services a plugin shares are
 * namespaced by the filter's name that way).
 *
 * <p>A reload {@linkplain #staged() stages} the services a module rebuilt for the new configuration
 * over the running ones: the new routes' filters are created against the staged view, and the
 * staged services become the running ones ({@link #adopt}) only once the new snapshot is swapped in.
 */
public final class GatewayServices {
  private final GatewayServices parent;
  private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
  private final Map<Class<?>, PerFilter<?>> perFilter = new ConcurrentHashMap<>();
  private final Set<Class<?>> heldByRequests = ConcurrentHashMap.newKeySet();
  /** On a staged view: running services the new configuration no longer offers. */
  private final Set<Class<?>> withdrawn = ConcurrentHashMap.newKeySet();

  public GatewayServices() {
    this(null);
  }

  private GatewayServices(GatewayServices parent) {
    this.parent = parent;
  }

  /**
   * A view over these services for a reload: what is registered there hides the running service of
   * the same type, everything else is found here. Nothing registered there is visible here.
   */
  public GatewayServices staged() {
    return new GatewayServices(this);
  }

  /** Makes what {@code staged} registered the running services (after the reload's swap). */
  public void adopt(GatewayServices staged) {
    requireNonNull(staged, "staged");
    if (staged.parent != this) {
      throw new IllegalArgumentException("staged: not a view of these services (expected: one made by staged())");
    }
    staged.withdrawn.forEach(services::remove);
    services.putAll(staged.services);
    perFilter.putAll(staged.perFilter);
  }

  /** On a staged view: the running service of {@code type} is not offered to the new routes. */
  public void withdraw(Class<?> type) {
    requireNonNull(type, "type");
    if (parent == null) {
      throw new IllegalStateException("withdraw: only on a staged view (expected: services.staged())");
    }
    services.remove(type);
    withdrawn.add(type);
  }

  /**
   * Marks a service type whose instance a reload may replace and close: a route whose filter uses
   * it holds its snapshot while a request runs, so the old instance is closed only after the last
   * request that may use it ended.
   */
  public void holdWhileInUse(Class<?> type) {
    (parent != null ? parent : this).heldByRequests.add(requireNonNull(type, "type"));
  }

  /** Whether requests using {@code type} hold their snapshot ({@link #holdWhileInUse}). */
  public boolean heldWhileInUse(Class<?> type) {
    return (parent != null ? parent : this).heldByRequests.contains(type);
  }

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
    withdrawn.remove(type);
  }

  /** Registers a service whose instance depends on the filter asking; it wins over {@link #register}. */
  public <T> void registerPerFilter(Class<T> type, PerFilter<? extends T> factory) {
    perFilter.put(requireNonNull(type, "type"), requireNonNull(factory, "factory"));
  }

  /** A process-wide service, for modules and the core; per-filter services are not found here. */
  public <T> Optional<T> find(Class<T> type) {
    Object own = services.get(type);
    if (own == null && parent != null && !withdrawn.contains(type)) {
      return parent.find(type);
    }
    return Optional.ofNullable(type.cast(own));
  }

  /** What {@code FilterContext.service(type)} answers to the filter {@code filterName} of {@code routeId}. */
  public <T> Optional<T> find(Class<T> type, String filterName, String routeId) {
    PerFilter<?> factory = perFilter.get(type);
    if (factory != null) {
      return Optional.of(type.cast(factory.forFilter(filterName, routeId)));
    }
    if (services.containsKey(type) || parent == null || withdrawn.contains(type)) {
      return find(type);
    }
    return parent.find(type, filterName, routeId);
  }
}
