package io.edgeway.spi;

/**
 * Creates a filter from its YAML configuration. Factories are discovered with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/io.edgeway.spi.GatewayFilterFactory}
 * entry), exactly the same way for built-in and third-party filters.
 *
 * <p>The route's YAML names a filter by {@link #name()}; its value is bound to
 * {@link #configType()} before {@link #create} is called. The binding rules:
 * <ul>
 *   <li><b>Keys.</b> Record components map to kebab-case keys ({@code maxEntrySize} reads
 *       {@code max-entry-size}); {@link YamlKey} names a key that does not follow
 *       ({@code sample-2xx}). A key the record does not have is an error that lists the known
 *       keys and suggests the nearest one.
 *   <li><b>Absent keys.</b> An absent key, or an explicit null ({@code key:} or {@code key: ~}),
 *       binds a reference component (a boxed number, {@code String}, a list...) as {@code null}:
 *       apply the default in the compact constructor. A filter written with no value at all
 *       ({@code - my-filter:}) binds as a record with every component absent.
 *   <li><b>Required keys.</b> A component marked {@link Required}, and every primitive component
 *       ({@code int}, {@code long}, {@code double}, {@code boolean}), must be written: its absence
 *       is reported as {@code missing required key 'name'} and the filter is not created. A
 *       primitive never silently becomes {@code 0} or {@code false}; to make such a key optional,
 *       declare the boxed type ({@code Integer}...) and default it in the compact constructor.
 *   <li><b>Validation.</b> The compact constructor validates: an {@link IllegalArgumentException}
 *       whose message reads {@code key: value (expected: ...)} (or {@code key[1]: ...},
 *       {@code key.inner: ...}) is reported at that key, any other message at the filter's
 *       configuration. Report one problem per exception; the first one found is enough.
 *   <li><b>Every error at once.</b> The gateway reports all problems of every filter entry in one
 *       run ({@code --check} and start-up alike), each as
 *       {@code file:line:col: routes[2].filters[0].my-filter.allow[1]: 10.0.0.300/8 (expected: ...)}:
 *       unknown keys, values of the wrong type, missing required keys and the constructor's own
 *       complaint. To make that possible the compact constructor also runs when some keys failed or
 *       are missing: those arrive as {@code null} (a primitive as {@code 0} or {@code false}), and
 *       whatever the constructor then throws about one of them, or an exception that is not an
 *       {@code IllegalArgumentException}, is not reported, since the key's own error already is.
 *       So a constructor may use a required component without a null check: when it is missing,
 *       the resulting exception is not reported.
 * </ul>
 *
 * <p>Supported component types: {@code String}, {@code boolean}/{@code Boolean}, {@code int},
 * {@code long}, {@code double} (and boxed), {@code java.time.Duration} ({@code 250ms}, {@code 5s},
 * {@code 1m}, {@code 2h}, {@code 1d}), {@link DataSize} ({@code 64KiB}, {@code 10MiB}),
 * {@link Percentage} ({@code 50%}), enums (kebab-case constants), nested records (same rules),
 * {@code List<T>} (a scalar binds as a one-element list) and {@code Map<String, T>}. A record with a
 * public static {@code of(String)} method also accepts a scalar. {@code Object} takes any YAML value,
 * for a free-form document such as a JSON Schema written inline: mappings bind as
 * {@code Map<String, Object>} (in order), sequences as {@code List<Object>}, scalars by their YAML
 * type as {@code Long} (or {@code BigInteger}), {@code Double}, {@code Boolean}, {@code null} or
 * {@code String} (a quoted {@code "5"} stays text). Bound lists and maps are unmodifiable.
 *
 * <p>Services a filter may share with the gateway and other filters ({@link TokenBuckets},
 * {@link SharedCache}, {@link StateEventPublisher}) come from {@link FilterContext#service}.
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
