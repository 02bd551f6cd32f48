package io.edgeway.spi;

/**
 * Creates a filter from its YAML configuration. Factories are discovered with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/io.edgeway.spi.GatewayFilterFactory}
 * entry), exactly the same way for built-in and third-party filters.
 *
 * <p>The route's YAML names a filter by {@link #name()}; its value is bound to
 * {@link #configType()} before {@link #create} is called. Record components map to kebab-case
 * keys ({@code maxEntrySize} reads {@code max-entry-size}); unknown keys are rejected; an absent
 * key binds as {@code null} so the record's compact constructor can apply defaults. The compact
 * constructor validates: an {@link IllegalArgumentException} it throws is reported to the operator
 * with the file, line, column and key path of the filter's configuration.
 *
 * <p>Supported component types: {@code String}, {@code boolean}/{@code Boolean}, {@code int},
 * {@code long}, {@code double} (and boxed), {@code java.time.Duration} ({@code 250ms}, {@code 5s},
 * {@code 1m}, {@code 2h}, {@code 1d}), {@link DataSize} ({@code 64KiB}, {@code 10MiB}),
 * {@link Percentage} ({@code 50%}), enums (kebab-case constants), nested records,
 * {@code List<T>} (a scalar binds as a one-element list) and {@code Map<String, T>}. A record with a
 * public static {@code of(String)} method also accepts a scalar.
 *
 * @param <C> the configuration record
 */
public interface GatewayFilterFactory<C extends Record> {

  /** The YAML key of this filter, in kebab-case, e.g. {@code "rate-limit"}. Unique per gateway. */
  String name();

  /** The stage this filter runs in. */
  Stage stage();

  /** The configuration record the filter's YAML value is bound to. */
  Class<C> configType();

  /**
   * Creates the filter for one route. Called once per route at load time (and again for each
   * reload), never per request: precompute everything here.
   *
   * <p>Validation ({@code --check}, and the same step at start-up and before each reload) also
   * calls this method, before any process-wide part is started; {@link FilterContext#validating()}
   * is then true. Services then come from what the configuration declares (e.g. a store that is
   * configured but not connected, see {@link FilterContext#service}), {@link
   * FilterContext#blocking()} runs no task, and the filter is discarded right after, running its
   * {@link FilterContext#onClose} actions. So open no connections and start no work here that
   * {@code onClose} does not undo; better, start none while validating. Report configuration
   * problems in both passes, so that {@code --check} finds them.
   *
   * @param config the bound, validated configuration
   * @param context the route and gateway services available to the filter
   * @return the filter; may keep state for the route's lifetime
   * @throws IllegalArgumentException when the configuration is valid on its own but cannot be
   *     applied (e.g. it names an unknown provider); reported like a validation error. Any other
   *     exception is reported at the route and filter too, as a failure of this factory.
   */
  GatewayFilter create(C config, FilterContext context);
}
