package io.edgeway.config;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.Required;

/**
 * One upstream target.
 *
 * @param url scheme, host and port of the target
 * @param weight share of traffic relative to the other targets, 1..1000; default 1
 */
public record TargetConfig(@Required UpstreamUrl url, Integer weight) {

  public TargetConfig {
    requireNonNull(url, "url");
    weight = weight == null ? 1 : ComponentChecks.range("weight", weight, 1, 1000);
  }
}
