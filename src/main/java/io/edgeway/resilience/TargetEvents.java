package io.edgeway.resilience;

import io.edgeway.proxy.UpstreamTarget;
import io.edgeway.runtime.StateEvents;
import java.util.Map;
import org.slf4j.Logger;

/** Hands a target's state change to the state-event sink; a failing sink never breaks a check. */
final class TargetEvents {
  private TargetEvents() {}

  static void publish(StateEvents events, Logger log, String type, UpstreamTarget target, Map<String, Object> data) {
    if (events == null) {
      return;
    }
    try {
      events.publish(type, target.url(), data);
    } catch (RuntimeException e) {
      log.warn("state event {} for {} failed: {}", type, target, e.toString());
    }
  }
}
