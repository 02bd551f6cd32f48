package io.edgeway.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.spi.StateEventPublisher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plugin's state events: one type, the filter and route added, arguments checked, the sink of the moment. */
class PluginStateEventsTest {
  record Published(String type, String subject, Map<String, Object> data) {}

  private final List<Published> published = new ArrayList<>();
  private final StateEvents sink = (type, subject, data) -> published.add(new Published(type, subject, data));

  @Test
  void aChangeBecomesThePluginStateChangedEventWithTheFilterAndRoute() {
    GatewayServices services = new GatewayServices();
    services.register(StateEvents.class, sink);
    services.registerPerFilter(StateEventPublisher.class, PluginStateEvents.running(services));
    StateEventPublisher events = services.find(StateEventPublisher.class, "quota", "api").orElseThrow();

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("limit", 1000);
    data.put("tiers", List.of("gold", Map.of("name", "silver")));
    events.publish("quota.exhausted", "tenant-42", data);
    data.put("limit", 1); // the plugin reusing its map changes nothing published

    assertThat(published).containsExactly(new Published("plugin.state-changed", "tenant-42", Map.of(
        "plugin", "quota", "route", "api", "change", "quota.exhausted",
        "data", Map.of("limit", 1000, "tiers", List.of("gold", Map.of("name", "silver"))))));
  }

  @Test
  void theSinkIsLookedUpWhenPublishingSoAnEventsModuleStartedLaterIsUsed() {
    GatewayServices services = new GatewayServices();
    services.registerPerFilter(StateEventPublisher.class, PluginStateEvents.running(services));
    StateEventPublisher events = services.find(StateEventPublisher.class, "quota", "api").orElseThrow();
    events.publish("started", "s", Map.of()); // no sink yet: nothing, no failure
    services.register(StateEvents.class, sink);
    events.publish("started", "s", Map.of());
    assertThat(published).hasSize(1);
  }

  @Test
  void argumentsAreCheckedAlsoByTheValidationView() {
    StateEventPublisher running = new PluginStateEvents("p", "r", () -> sink);
    StateEventPublisher view = PluginStateEvents.validationView().forFilter("p", "r");
    for (StateEventPublisher events : List.of(running, view)) {
      assertThatThrownBy(() -> events.publish("Quota Exhausted", "s", Map.of()))
          .hasMessage("change: Quota Exhausted (expected: lower-case words such as quota.exhausted)");
      assertThatThrownBy(() -> events.publish("quota..exhausted", "s", Map.of()))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> events.publish("quota.exhausted", null, Map.of()))
          .hasMessage("subject: null (expected: what changed)");
      assertThatThrownBy(() -> events.publish("quota.exhausted", "s", Map.of("when", new Object())))
          .hasMessage("data.when: java.lang.Object (expected: a JSON value: String, Number, Boolean, null, List or Map)");
      assertThatThrownBy(() -> events.publish("quota.exhausted", "s", Map.of("nested", List.of(Double.NaN))))
          .hasMessageStartingWith("data.nested[0]: java.lang.Double");
    }
    view.publish("quota.exhausted", "s", Map.of("n", 1));
    assertThat(published).as("the view sends nothing").isEmpty();
  }

  @Test
  void servicesRegisteredPerFilterWinAndPlainOnesAreStillFound() {
    GatewayServices services = new GatewayServices();
    services.register(String.class, "plain");
    assertThat(services.find(String.class, "f", "r")).contains("plain");
    services.registerPerFilter(String.class, (filter, route) -> filter + "@" + route);
    assertThat(services.find(String.class, "f", "r")).contains("f@r");
    assertThat(services.find(String.class)).contains("plain");
  }
}
