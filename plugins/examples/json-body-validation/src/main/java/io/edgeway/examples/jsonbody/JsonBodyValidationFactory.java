package io.edgeway.examples.jsonbody;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;

/**
 * {@code json-body-validation}: validates request bodies against a JSON Schema before they go
 * upstream (stage {@link Stage#TRANSFORM}, so authentication and rate limits have already refused
 * what they refuse, and no body is read for those).
 */
public final class JsonBodyValidationFactory implements GatewayFilterFactory<JsonBodyValidationConfig> {

  @Override
  public String name() {
    return "json-body-validation";
  }

  @Override
  public Stage stage() {
    return Stage.TRANSFORM;
  }

  @Override
  public Class<JsonBodyValidationConfig> configType() {
    return JsonBodyValidationConfig.class;
  }

  /** Reads and compiles the schema: at start-up, reload and {@code --check}, never per request. */
  @Override
  public GatewayFilter create(JsonBodyValidationConfig config, FilterContext context) {
    return new JsonBodyValidationFilter(JsonSchemas.load(config), config);
  }
}
