package io.edgeway.runtime;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default {@link StateEvents} sink: one log line per state change. */
final class LoggingStateEvents implements StateEvents {
  private static final Logger log = LoggerFactory.getLogger("edgeway.state");

  @Override
  public void publish(String type, String subject, Map<String, Object> data) {
    log.info("{} {} {}", type, subject, data);
  }
}
