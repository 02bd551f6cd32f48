package com.example.edgeway;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Required;
import io.edgeway.spi.Stage;
import java.nio.file.Path;

/** Appends one line per finished request to a file: blocking I/O, done on the gateway's worker pool. */
public final class AuditFileFactory implements GatewayFilterFactory<AuditFileFactory.Config> {

  /**
   * {@code - audit-file: { path: /var/log/edgeway/audit.log }}
   *
   * @param path the file to append to (created if missing); required
   * @param includeQuery whether lines carry the query string (it may hold personal data); false when absent
   */
  public record Config(@Required String path, Boolean includeQuery) {
    public Config {
      if (path.isBlank()) {
        throw new IllegalArgumentException("path: \"\" (expected: a file path)");
      }
      includeQuery = includeQuery != null && includeQuery;
    }
  }

  @Override
  public String name() {
    return "audit-file";
  }

  @Override
  public Stage stage() {
    return Stage.EDGE;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public GatewayFilter create(Config config, FilterContext context) {
    AuditLog log = new AuditLog(Path.of(config.path()));
    if (!context.validating()) {
      // Only the serving filter holds the file open; the validation pass (--check) touches nothing.
      context.onClose(log::close);
    }
    return new AuditFileFilter(log, context.blocking(), context.clock(), config.includeQuery());
  }
}
