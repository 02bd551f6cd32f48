package io.edgeway.auth;

import static java.util.Objects.requireNonNull;

import io.edgeway.config.Binder;
import io.edgeway.config.ConfigSection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level {@code jwt-providers} section, owned by the {@link AuthModule}: JWT issuers and
 * their keys, by name, for the {@code jwt} filter.
 *
 * @param providers by name, in file order
 */
public record JwtProvidersConfig(Map<String, JwtProviderConfig> providers) {

  /** No providers: what an absent section means. */
  public static final JwtProvidersConfig NONE = new JwtProvidersConfig(Map.of());

  /** The section: a mapping of provider names to {@link JwtProviderConfig}s. */
  public static final ConfigSection<JwtProvidersConfig> SECTION = new ConfigSection<>("jwt-providers",
      JwtProvidersConfig.class, NONE, (node, errors) -> {
        Map<String, JwtProviderConfig> bound = Binder.bindMap(node, JwtProviderConfig.class, errors);
        return bound == null ? null : new JwtProvidersConfig(bound);
      });

  public JwtProvidersConfig {
    // Unmodifiable but in file order: the admin API and readiness checks list providers as written.
    providers = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(providers, "providers")));
  }
}
