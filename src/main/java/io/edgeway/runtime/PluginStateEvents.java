package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

import io.edgeway.spi.StateEventPublisher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One filter's {@link StateEventPublisher}: each change becomes the state event
 * {@code plugin.state-changed} ({@code io.edgeway.plugin.state-changed.v1} on the state topic),
 * with the filter's name and route beside what the plugin gave, through whatever
 * {@link StateEvents} sink is registered when it is published (the events module replaces the
 * logging one when it starts, after filters of an earlier reload may have been created).
 *
 * <p>One CloudEvent type for every plugin, rather than a type per plugin and change: the types and
 * their schemas under {@code schemas/} stay a closed set the gateway owns and tests.
 */
final class PluginStateEvents implements StateEventPublisher {
  private static final Pattern CHANGE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

  private final String plugin;
  private final String route;
  private final Supplier<StateEvents> sink;

  /**
   * @param sink the sink of the moment, or null (validation): then the event is checked and dropped
   */
  PluginStateEvents(String plugin, String route, Supplier<StateEvents> sink) {
    this.plugin = requireNonNull(plugin, "plugin");
    this.route = requireNonNull(route, "route");
    this.sink = sink;
  }

  /** The per-filter publishers of a running gateway, over {@code services}' current {@link StateEvents}. */
  static GatewayServices.PerFilter<StateEventPublisher> running(GatewayServices services) {
    return (filter, route) -> new PluginStateEvents(filter, route,
        () -> services.find(StateEvents.class).orElse(null));
  }

  /** The per-filter publishers of validation: they check their arguments and send nothing. */
  static GatewayServices.PerFilter<StateEventPublisher> validationView() {
    return (filter, route) -> new PluginStateEvents(filter, route, null);
  }

  @Override
  public void publish(String change, String subject, Map<String, ?> data) {
    if (change == null || !CHANGE.matcher(change).matches()) {
      throw new IllegalArgumentException("change: " + change + " (expected: lower-case words such as quota.exhausted)");
    }
    if (subject == null) {
      throw new IllegalArgumentException("subject: null (expected: what changed)");
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    if (data != null) {
      data.forEach((key, value) -> copy.put(key, json("data." + key, value)));
    }
    StateEvents events = sink == null ? null : sink.get();
    if (events == null) {
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("plugin", plugin);
    body.put("route", route);
    body.put("change", change);
    body.put("data", copy);
    events.publish("plugin.state-changed", subject, body);
  }

  // Checked here, on the plugin's call, so a bad value fails the plugin's own code with a message
  // naming the field instead of failing later in the event encoder. Copied: the plugin may reuse
  // its map.
  private static Object json(String path, Object value) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof java.math.BigInteger || value instanceof java.math.BigDecimal) {
      return value;
    }
    if (value instanceof Double d && Double.isFinite(d) || value instanceof Float f && Float.isFinite(f)) {
      return value;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new java.util.ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(json(path + "[" + i + "]", list.get(i)));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(path + ": key " + e.getKey() + " (expected: a string key)");
        }
        out.put(key, json(path + "." + key, e.getValue()));
      }
      return out;
    }
    throw new IllegalArgumentException(path + ": " + value.getClass().getName()
        + " (expected: a JSON value: String, Number, Boolean, null, List or Map)");
  }
}
