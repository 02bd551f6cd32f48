package io.edgeway.proxy;

import io.edgeway.spi.Exchange;

/** Chooses the target for one upstream attempt. Implementations are thread-safe and lock-free. */
public interface LoadBalancer {

  /**
   * @param exchange the request (consistent hashing reads its key from it)
   * @return an available target, or null when every target is unavailable
   */
  UpstreamTarget choose(Exchange exchange);
}
