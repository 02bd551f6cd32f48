package io.edgeway.spi;

import java.util.Map;

/**
 * Publishes a plugin's state changes (a quota exhausted, a downstream marked down, keys rotated)
 * through the gateway's event pipeline, exactly like the built-in state events: with
 * {@code events:} configured, as a CloudEvent on the state topic or exchange (Kafka, RabbitMQ),
 * journaled while the broker is slow or down; always in the gateway's log. Get it from
 * {@link FilterContext#service(Class)} in {@link GatewayFilterFactory#create}; it is always
 * offered.
 *
 * <p>Every plugin state event has the one CloudEvent type {@code io.edgeway.plugin.state-changed.v1}
 * (JSON schema {@code schemas/io.edgeway.plugin.state-changed.v1.json}), keyed by its subject, with
 * the data
 * <pre>{@code
 * { "subject": "tenant-42",          // what changed, as given
 *   "plugin": "quota",               // the filter's name, set by the gateway
 *   "route": "api",                  // the route the filter was created for, set by the gateway
 *   "change": "quota.exhausted",     // what happened, as given
 *   "data": { "limit": 1000 } }      // as given
 * }</pre>
 * so consumers select a plugin's events by {@code plugin} and {@code change}; the set of
 * CloudEvent types, and their schemas, stay the gateway's.
 *
 * <p>Never blocks and never waits for the broker: fine on the event loop. Publish changes of
 * state, not one event per request.
 *
 * <p>During validation ({@code --check}, and the same step at start-up) filters get a publisher
 * that checks its arguments and drops the event.
 */
public interface StateEventPublisher {

  /**
   * Publishes one state change.
   *
   * @param change what happened: lower-case words and digits joined by {@code -}, in one or more
   *     parts separated by {@code .}, such as {@code quota.exhausted} or {@code upstream-down}
   * @param subject what changed (a tenant, a key, a URL); the broker orders events per subject
   * @param data details: JSON values only (String, Number, Boolean, null, List and Map of those,
   *     map keys strings); may be empty
   * @throws IllegalArgumentException when {@code change} is not of that form, {@code subject} is
   *     null, or {@code data} holds a value that is not JSON
   */
  void publish(String change, String subject, Map<String, ?> data);
}
