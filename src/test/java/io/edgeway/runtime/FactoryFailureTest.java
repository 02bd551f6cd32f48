package io.edgeway.runtime;

import io.edgeway.testing.TestVertx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeway.config.ConfigError;
import io.edgeway.config.ConfigException;
import io.edgeway.config.LoadedConfig;
import io.edgeway.filter.FilterRegistry;
import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A factory whose {@code create()} throws anything (a bug, not a validation message) is a config
 * error at the route and filter, the same for {@code --check} (the validator) and start-up.
 */
class FactoryFailureTest {
  private final Vertx vertx = TestVertx.create();

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Throws what its config says: {@code npe}, {@code state}, {@code iae-without-message}, or returns null. */
  public record FailureConfig(String fail) {}

  static final class FailingFactory implements GatewayFilterFactory<FailureConfig> {
    @Override
    public String name() {
      return "failing";
    }

    @Override
    public Stage stage() {
      return Stage.TRANSFORM;
    }

    @Override
    public Class<FailureConfig> configType() {
      return FailureConfig.class;
    }

    @Override
    public GatewayFilter create(FailureConfig config, FilterContext context) {
      return switch (config.fail()) {
        case "npe" -> throw new NullPointerException("boom");
        case "state" -> throw new IllegalStateException("not ready");
        case "iae-without-message" -> throw new IllegalArgumentException();
        default -> null;
      };
    }
  }

  private static final String YAML = """
      server: { host: 127.0.0.1, port: 0, instances: 1 }
      admin: { enabled: false }
      routes:
        - id: fine
          match: { path: /fine/** }
          upstream: { targets: [ { url: "http://127.0.0.1:9" } ] }
        - id: npe
          match: { path: /npe/** }
          upstream: { targets: [ { url: "http://127.0.0.1:9" } ] }
          filters:
            - failing: { fail: npe }
        - id: several
          match: { path: /several/** }
          upstream: { targets: [ { url: "http://127.0.0.1:9" } ] }
          filters:
            - request-headers: { set: { X-A: "1" } }
            - failing: { fail: state }
            - failing: { fail: iae-without-message }
            - failing: { fail: "null" }
      """;

  private static final List<String> EXPECTED = List.of(
      "t.yaml:11:18: routes[1].filters[0].failing: the 'failing' filter could not be created: "
          + "java.lang.NullPointerException: boom (expected: a configuration its factory accepts; the log has the stack trace)",
      "t.yaml:17:18: routes[2].filters[1].failing: the 'failing' filter could not be created: "
          + "java.lang.IllegalStateException: not ready (expected: a configuration its factory accepts; the log has the stack trace)",
      "t.yaml:18:18: routes[2].filters[2].failing: the 'failing' filter could not be created: "
          + "java.lang.IllegalArgumentException (expected: a configuration its factory accepts; the log has the stack trace)",
      "t.yaml:19:18: routes[2].filters[3].failing: the 'failing' filter could not be created: its factory "
          + FailingFactory.class.getName() + " returned no filter (expected: a filter)");

  @Test
  void checkAndStartUpReportEveryFailureAtItsFilter() throws Exception {
    List<GatewayFilterFactory<?>> factories = new ArrayList<>();
    factories.add(new FailingFactory());
    factories.add(new io.edgeway.headers.RequestHeadersFilterFactory());
    FilterRegistry registry = FilterRegistry.of(factories);
    List<GatewayModule> modules = Gateway.discoverModules(getClass().getClassLoader());
    ConfigValidator validator = new ConfigValidator(registry, modules);
    LoadedConfig loaded = validator.load("t.yaml", YAML, name -> null);

    ConfigException check = catchThrowableOfType(ConfigException.class, () -> validator.validateRoutes(vertx, loaded));
    Exception startUp = catchThrowableOfType(Exception.class,
        () -> Gateway.start(vertx, loaded, "t.yaml", registry, modules).await(20, TimeUnit.SECONDS));

    assertThat(check).isNotNull();
    assertThat(check.errors()).extracting(ConfigError::toString).containsExactlyElementsOf(EXPECTED);
    assertThat(startUp).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) startUp).errors()).extracting(ConfigError::toString).containsExactlyElementsOf(EXPECTED);
  }
}
