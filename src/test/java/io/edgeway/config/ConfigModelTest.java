package io.edgeway.config;

import io.edgeway.http.Cidr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small value types and helpers of the config package. */
class ConfigModelTest {

  @Test
  void errorLinesEscapeControlCharacters() {
    ConfigError error = new ConfigError("a.yaml", 3, 7, "routes[0].id", "x\ny\u001b[31m (expected: ...)");
    assertThat(error).hasToString("a.yaml:3:7: routes[0].id: x\\ny\\u001b[31m (expected: ...)");
    assertThat(new ConfigError("a.yaml", 0, 0, "", "cannot read")).hasToString("a.yaml: cannot read");
  }

  @Test
  void exceptionListsErrorsInFileOrder() throws Exception {
    ConfigErrors errors = new ConfigErrors(locations("a.yaml", "server: { host: a }\n\n\nroutes:\n  - id: a\n"));
    errors.addAt("routes[0].id", "late");
    errors.addAt("server.port", "early");
    errors.add(new ConfigError("a.yaml", 0, 0, "nowhere", "no position"));
    assertThat(errors.isEmpty()).isFalse();
    assertThatThrownBy(errors::throwIfAny)
        .isInstanceOf(ConfigException.class)
        .hasMessage("a.yaml: nowhere: no position\na.yaml:1:9: server.port: early\na.yaml:5:9: routes[0].id: late");
    new ConfigErrors(ConfigLocations.empty("b.yaml")).throwIfAny();
  }

  @Test
  void locationsAreReadFromTheTreeByKeyPath() {
    ConfigLocations locations = locations("a.yaml", """
        server: { port: 8080 }
        routes:
          - id: a
            match: { headers: { "X.Odd[key]": "1" } }
        """);
    assertThat(locations.find("")).contains(new ConfigPosition("a.yaml", 1, 1));
    assertThat(locations.find("server.port")).contains(new ConfigPosition("a.yaml", 1, 17));
    assertThat(locations.find("routes[0]")).contains(new ConfigPosition("a.yaml", 3, 5));
    assertThat(locations.find(KeyPath.key("routes[0].match.headers", "X.Odd[key]")))
        .contains(new ConfigPosition("a.yaml", 4, 39));
    assertThat(locations.find("routes[1]")).isEmpty();
    assertThat(locations.find("server.port.x")).isEmpty();
    assertThat(locations.find("routes.id")).isEmpty();
    assertThat(locations.find("routes[0")).isEmpty();
    assertThat(locations.nearest("server.host")).isEqualTo(new ConfigPosition("a.yaml", 1, 9));
    assertThat(locations.nearest("admin.port")).isEqualTo(new ConfigPosition("a.yaml", 1, 1));
    assertThat(ConfigLocations.empty("b.yaml").nearest("server.port")).isEqualTo(new ConfigPosition("b.yaml", 0, 0));
  }

  private static ConfigLocations locations(String source, String yaml) {
    LoadSettings settings = LoadSettings.builder().setLabel(source).setSchema(new CoreSchema()).build();
    return new ConfigLocations(new ConfigNode(source, "", new Compose(settings).composeString(yaml).orElseThrow()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|a|a",
      "x|a|x.a",
      "x|X-Version|x.X-Version",
      "x|a.b|x[\"a.b\"]",
      "x|''|x[\"\"]",
      "x|say \"hi\"|x[\"say \\\"hi\\\"\"]"})
  void keyPaths(String parent, String key, String path) {
    assertThat(KeyPath.key(parent, key)).isEqualTo(path);
    assertThat(KeyPath.parent(path)).isEqualTo(parent);
    List<Object> steps = KeyPath.steps(path);
    assertThat(steps.get(steps.size() - 1)).isEqualTo(key);
  }

  @Test
  void keyPathSteps() {
    assertThat(KeyPath.steps("routes[12].match.headers[\"a.b\"]")).containsExactly("routes", 12, "match", "headers", "a.b");
    assertThat(KeyPath.index("routes", 3)).isEqualTo("routes[3]");
    assertThat(KeyPath.parent("routes[3]")).isEqualTo("routes");
    assertThat(KeyPath.parent("routes")).isEqualTo("");
    assertThat(KeyPath.parent("")).isNull();
    assertThat(KeyPath.join("routes[0]", "methods[1]")).isEqualTo("routes[0].methods[1]");
    assertThat(KeyPath.join("routes", "[0]")).isEqualTo("routes[0]");
    assertThat(KeyPath.steps("[x]")).isNull();
  }

  @Test
  void suggestions() {
    List<String> keys = List.of("targets", "load-balancing", "hash-on", "timeouts", "pool");
    assertThat(KeySuggestion.nearest("timout", keys)).isEqualTo("timeouts");
    assertThat(KeySuggestion.nearest("Pool", keys)).isEqualTo("pool");
    assertThat(KeySuggestion.nearest("load", keys)).isEqualTo("load-balancing");
    assertThat(KeySuggestion.nearest("weight", keys)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://127.0.0.1:9001|http|127.0.0.1|9001|127.0.0.1:9001",
      "http://Upstream.Internal|http|upstream.internal|80|upstream.internal",
      "https://api.internal/|https|api.internal|443|api.internal",
      "HTTPS://[::1]:8443|https|::1|8443|[::1]:8443",
      "http://h:443|http|h|443|h:443"})
  void upstreamUrls(String text, String scheme, String host, int port, String authority) {
    UpstreamUrl url = UpstreamUrl.parse(text);
    assertThat(url).isEqualTo(new UpstreamUrl(scheme, host, port));
    assertThat(url.authority()).isEqualTo(authority);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1:9001|127.0.0.1:9001 (expected: an http or https URL such as http://10.0.0.5:8080)",
      "http://h:0|http://h:0 (expected: a port from 1 to 65535)",
      "http://h:99999|http://h:99999 (expected: a port from 1 to 65535)",
      "http://h#top|http://h#top (expected: no fragment in an upstream URL)",
      "http://my_host|http://my_host (expected: a URL with a host, such as http://10.0.0.5:8080)",
      "http://h /|http://h / (expected: an http or https URL such as http://10.0.0.5:8080)",
      "mailto:a@b|mailto:a@b (expected: an http or https URL such as http://10.0.0.5:8080)"})
  void badUpstreamUrls(String text, String message) {
    assertThatThrownBy(() -> UpstreamUrl.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void hashOn() {
    assertThat(HashOn.parse("ip")).isEqualTo(new HashOn(HashOn.Kind.IP, null));
    assertThat(HashOn.parse("consumer")).hasToString("consumer");
    assertThat(HashOn.parse("header:X-User")).hasToString("header:X-User");
    assertThatThrownBy(() -> HashOn.parse("cookie")).hasMessage("cookie (expected: ip, path, consumer or header:<Name>)");
    assertThatThrownBy(() -> HashOn.parse("header:")).hasMessage("header: (expected: a valid header name after 'header:')");
    assertThatThrownBy(() -> HashOn.parse("header:a b")).hasMessage("header:a b (expected: a valid header name after 'header:')");
  }

  @Test
  void hostsAreLiteralsOrNames() {
    assertThat(ComponentChecks.isHostOrAddress("0.0.0.0")).isTrue();
    assertThat(ComponentChecks.isHostOrAddress("::")).isTrue();
    assertThat(ComponentChecks.isHostOrAddress("api-1.example.com")).isTrue();
    assertThat(ComponentChecks.isHostOrAddress("-bad.com")).isFalse();
    assertThat(ComponentChecks.isHostOrAddress("bad-.com")).isFalse();
    assertThat(ComponentChecks.isHostOrAddress("a..b")).isFalse();
    assertThat(ComponentChecks.isHostOrAddress("a b")).isFalse();
    assertThat(ComponentChecks.isHostOrAddress("10.0.0.0/8")).isFalse();
    assertThat(ComponentChecks.isHostOrAddress("")).isFalse();
  }

  @Test
  void recordsRejectDirectConstructionWithBadValues() {
    assertThatThrownBy(() -> new ServerConfig(null, 70000, null, null, null, null))
        .hasMessage("port: 70000 (expected: an integer from 0 to 65535)");
    assertThatThrownBy(() -> new MatchConfig("/a", List.of("GET", "GET"), null, null))
        .hasMessage("methods[1]: GET (expected: each method once)");
    assertThatThrownBy(() -> new MatchConfig("/a", null, null, Map.of("X-A", "a\r\nInjected: 1")))
        .hasMessage("headers.X-A: a\r\nInjected: 1 (expected: a header value without control characters)");
    assertThatThrownBy(() -> new RouteConfig("r", new MatchConfig("/a", null, null, null), -1, null, null, null, null,
        new UpstreamConfig(List.of(new TargetConfig(UpstreamUrl.parse("http://h"), null)), null, null, null, null), null))
        .hasMessage("strip-prefix: -1 (expected: an integer >= 0)");
    assertThat(new ServerConfig(null, null, null, List.of(Cidr.parse("10.0.0.0/8")), null, null)
        .isTrustedProxy(new byte[] {10, 1, 2, 3})).isTrue();
  }
}
