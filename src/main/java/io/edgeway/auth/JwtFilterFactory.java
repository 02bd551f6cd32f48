package io.edgeway.auth;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import java.util.ArrayList;
import java.util.List;

/** {@code jwt}: authenticates requests with a signed JWT from the configured providers. */
public final class JwtFilterFactory implements GatewayFilterFactory<JwtFilterConfig> {

  @Override
  public String name() {
    return "jwt";
  }

  @Override
  public Stage stage() {
    return Stage.AUTHN;
  }

  @Override
  public Class<JwtFilterConfig> configType() {
    return JwtFilterConfig.class;
  }

  @Override
  public GatewayFilter create(JwtFilterConfig config, FilterContext context) {
    JwtProviders all = context.service(JwtProviders.class).orElseThrow(() -> new IllegalArgumentException(
        "providers: " + config.providers() + " (expected: names defined in the top-level jwt-providers section)"));
    List<JwtProvider> providers = new ArrayList<>();
    for (int i = 0; i < config.providers().size(); i++) {
      String name = config.providers().get(i);
      int index = i;
      providers.add(all.find(name).orElseThrow(() -> new IllegalArgumentException("providers[" + index + "]: " + name
          + " (expected: one of " + all.names().stream().sorted().toList() + " from jwt-providers)")));
    }
    return new JwtFilter(config, providers, all.clock());
  }
}
