package io.edgeway.runtime;

import java.util.Map;

/**
 * Sink for gateway state changes (a breaker opening, a target ejected, the config loaded, rate
 * limiting degraded). Features hand state changes here; the events module turns them into
 * CloudEvents on the state topic. The default sink only logs. Never blocks, never throws.
 */
@FunctionalInterface
public interface StateEvents {

  /**
   * @param type the event type without prefix and version, e.g. {@code circuit.opened}
   * @param subject what changed, e.g. the route id or target URL
   * @param data event data (JSON-compatible values: String, Number, Boolean, List, Map)
   */
  void publish(String type, String subject, Map<String, Object> data);
}
