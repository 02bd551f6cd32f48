package io.edgeway.examples.ipfilter;

import io.edgeway.spi.FilterContext;
import io.edgeway.spi.GatewayFilter;
import io.edgeway.spi.GatewayFilterFactory;
import io.edgeway.spi.Stage;

/**
 * {@code ip-filter}: allows or denies a request by the client IP the gateway resolved (through its
 * trusted proxies), before any other work is done for it (stage {@link Stage#EDGE}).
 */
public final class IpFilterFactory implements GatewayFilterFactory<IpFilterConfig> {

  @Override
  public String name() {
    return "ip-filter";
  }

  @Override
  public Stage stage() {
    return Stage.EDGE;
  }

  @Override
  public Class<IpFilterConfig> configType() {
    return IpFilterConfig.class;
  }

  @Override
  public GatewayFilter create(IpFilterConfig config, FilterContext context) {
    return new IpFilter(CidrSet.of(config.allowBlocks()), CidrSet.of(config.denyBlocks()), config.status());
  }
}
