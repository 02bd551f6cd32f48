package io.edgeway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.http.Cidr;
import io.edgeway.spi.DataSize;
import io.edgeway.spi.Percentage;
import io.edgeway.spi.Required;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

class BinderTest {

  enum Mode { ROUND_ROBIN, LEAST_REQUESTS }

  record Scalars(String text, boolean flag, Boolean boxedFlag, int count, Integer boxedCount, long big, Long boxedBig,
      double ratio, Double boxedRatio, Duration timeout, DataSize size, Percentage share, Mode mode) {}

  record Inner(@Required String name, Integer weight) {
    Inner {
      weight = weight == null ? 1 : weight;
      if (weight < 1) {
        throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
      }
    }
  }

  record Outer(List<String> tags, Map<String, Integer> limits, Inner inner, List<Inner> inners, ConfigNode raw) {}

  record Shorthand(String host, Integer port) {
    public static Shorthand of(String text) {
      int colon = text.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(text + " (expected: host:port)");
      }
      return new Shorthand(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }
  }

  record WithShorthand(Shorthand address, List<Cidr> networks) {}

  record Validated(Integer min, Integer max) {
    Validated {
      if (min != null && max != null && min > max) {
        throw new IllegalArgumentException("max: " + max + " (expected: >= min " + min + ")");
      }
    }
  }

  record Whole(String value) {
    Whole {
      if ("bad".equals(value)) {
        throw new IllegalArgumentException("bad (expected: good)");
      }
    }
  }

  record Defaults(Integer port, List<String> names) {
    Defaults {
      port = port == null ? 8080 : port;
      names = names == null ? List.of() : names;
    }
  }

  record Unsupported(Set<String> names, Optional<String> maybe) {}

  private static Node yaml(String text) {
    LoadSettings settings = LoadSettings.builder().setLabel("t.yaml").setSchema(new CoreSchema()).build();
    return new Compose(settings).composeString(text).orElseThrow();
  }

  private static <T> Result<T> bind(String text, Class<T> type) {
    ConfigErrors errors = new ConfigErrors(ConfigLocations.empty("t.yaml"));
    T value = Binder.bind(new ConfigNode("t.yaml", "x", yaml(text)), type, errors);
    return new Result<>(value, errors.errors().stream().map(ConfigError::toString).toList());
  }

  record Result<T>(T value, List<String> errors) {}

  @Test
  void bindsEveryScalarType() {
    Result<Scalars> r = bind("""
        text: hello
        flag: true
        boxed-flag: FALSE
        count: -42
        boxed-count: +7
        big: 9000000000
        boxed-big: 0
        ratio: 0.25
        boxed-ratio: 1e3
        timeout: 250ms
        size: 64KiB
        share: 50%
        mode: least-requests
        """, Scalars.class);
    assertThat(r.errors()).isEmpty();
    assertThat(r.value()).isEqualTo(new Scalars("hello", true, false, -42, 7, 9_000_000_000L, 0L, 0.25, 1000.0,
        Duration.ofMillis(250), DataSize.ofBytes(64 * 1024), new Percentage(50), Mode.LEAST_REQUESTS));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "250ms|PT0.25S", "5s|PT5S", "1m|PT1M", "2h|PT2H", "1d|PT24H", "0s|PT0S"})
  void durations(String text, String iso) {
    record D(Duration d) {}
    assertThat(bind("d: " + text, D.class).value().d()).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "30|x.d: 30 (expected: a duration such as 250ms, 5s, 1m; the unit is required)",
      "5 parsecs|x.d: 5 parsecs (expected: a duration such as 250ms, 5s, 1m)",
      "-5s|x.d: -5s (expected: a duration such as 250ms, 5s, 1m)",
      "1.5s|x.d: 1.5s (expected: a duration such as 250ms, 5s, 1m)",
      "5S|x.d: 5S (expected: a duration such as 250ms, 5s, 1m)"})
  void badDurations(String text, String message) {
    record D(Duration d) {}
    assertThat(bind("d: " + text, D.class).errors()).containsExactly("t.yaml:1:4: " + message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "count: abc|t.yaml:1:8: x.count: abc (expected: an integer)",
      "count: 0x10|t.yaml:1:8: x.count: 0x10 (expected: an integer)",
      "count: 1_000|t.yaml:1:8: x.count: 1_000 (expected: an integer)",
      "count: 3000000000|t.yaml:1:8: x.count: 3000000000 (expected: an integer from -2147483648 to 2147483647)",
      "count: 1.5|t.yaml:1:8: x.count: 1.5 (expected: an integer)",
      "flag: yes|t.yaml:1:7: x.flag: yes (expected: true or false)",
      "ratio: .inf|t.yaml:1:8: x.ratio: .inf (expected: a number)",
      "ratio: NaN|t.yaml:1:8: x.ratio: NaN (expected: a number)",
      "big: 99999999999999999999|t.yaml:1:6: x.big: 99999999999999999999 (expected: an integer)",
      "size: 10 megabytes|t.yaml:1:7: x.size: 10 megabytes (expected: a size such as 512B, 64KiB, 10MiB, 1GiB)",
      "size: 99999999999999GiB|t.yaml:1:7: x.size: 99999999999999GiB (expected: a size such as 512B, 64KiB, 10MiB, 1GiB)",
      "share: 150%|t.yaml:1:8: x.share: 150.0% (expected: 0% to 100%)",
      "mode: ROUND_ROBIN|t.yaml:1:7: x.mode: ROUND_ROBIN (expected: one of round-robin, least-requests)",
      "text: [a]|t.yaml:1:7: x.text: [a] (expected: a string)",
      "text: {a: 1}|t.yaml:1:7: x.text: {a: ..} (expected: a string)"})
  void scalarMismatchesAreReportedAtTheValue(String yaml, String error) {
    record Partial(String text, Boolean flag, Integer count, Long big, Double ratio, DataSize size, Percentage share, Mode mode) {}
    assertThat(bind(yaml, Partial.class).errors()).containsExactly(error);
  }

  @Test
  void anObjectComponentTakesAnyYamlValueAsPlainJava() {
    record Free(Object doc, List<Object> items) {}
    Result<Free> r = bind("""
        doc:
          type: object
          minProperties: 1
          ratio: 0.5
          strict: true
          quoted: "5"
          none: null
          huge: 123456789012345678901234567890
          required: [sku, qty]
        items: [1, two, { three: 3 }]
        """, Free.class);
    assertThat(r.errors()).isEmpty();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "object");
    doc.put("minProperties", 1L);
    doc.put("ratio", 0.5);
    doc.put("strict", true);
    doc.put("quoted", "5");
    doc.put("none", null);
    doc.put("huge", new java.math.BigInteger("123456789012345678901234567890"));
    doc.put("required", List.of("sku", "qty"));
    assertThat(r.value().doc()).isEqualTo(doc);
    assertThat(r.value().items()).isEqualTo(List.of(1L, "two", Map.of("three", 3L)));
    assertThat(bind("doc: ~", Free.class).value()).isEqualTo(new Free(null, null));
  }

  @Test
  void primitiveComponentsAreRequiredAndTheMessageSaysHowToMakeThemOptional() {
    record P(int count, boolean flag, Long big) {}
    assertThat(bind("count: 1", P.class).errors()).containsExactly("t.yaml:1:1: x: missing required key 'flag' "
        + "(expected: true or false; a primitive boolean is always required: declare it Boolean to make the key optional)");
    assertThat(bind("flag: true", P.class).errors()).containsExactly("t.yaml:1:1: x: missing required key 'count' "
        + "(expected: an integer; a primitive int is always required: declare it Integer to make the key optional)");
    assertThat(bind("count: 1\nflag: false", P.class).value()).isEqualTo(new P(1, false, null));
    assertThat(bind("count:\nflag: false", P.class).errors()).containsExactly("t.yaml:1:7: x.count: null "
        + "(expected: an integer; a primitive int is always required: declare it Integer to make the key optional)");
  }

  @Test
  void aPrimitiveOfTheWrongTypeIsReportedNotThrown() {
    record P(int count, double ratio) {}
    assertThat(bind("count: many\nratio: half", P.class).errors()).containsExactly(
        "t.yaml:1:8: x.count: many (expected: an integer)",
        "t.yaml:2:8: x.ratio: half (expected: a number)");
  }

  record Guarded(@Required String name, int capacity, Integer weight, List<String> tags) {
    Guarded {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
      }
      if (tags != null && tags.contains("bad")) {
        throw new IllegalArgumentException("tags[" + tags.indexOf("bad") + "]: bad (expected: a good tag)");
      }
    }
  }

  @Test
  void everyProblemOfOneRecordIsReportedInOneRun() {
    // Unknown key, wrong type, missing required key and the constructor's own check, in one pass.
    assertThat(bind("wieght: 2\ncapacity: 5\ntags: [ok, bad]\nweight: heavy", Guarded.class).errors()).containsExactly(
        "t.yaml:1:1: x.wieght: unknown key (expected one of: name, capacity, weight, tags; did you mean 'weight'?)",
        "t.yaml:1:1: x: missing required key 'name'",
        "t.yaml:3:12: x.tags[1]: bad (expected: a good tag)",
        "t.yaml:4:9: x.weight: heavy (expected: an integer)");
    // The constructor sees the missing primitive as 0; its complaint about that key is a
    // consequence of the missing key and stays quiet.
    assertThat(bind("name: n", Guarded.class).errors()).containsExactly(
        "t.yaml:1:1: x: missing required key 'capacity' (expected: an integer; a primitive int is always required: "
            + "declare it Integer to make the key optional)");
  }

  @Test
  void nestedRecordsListsAndMaps() {
    Result<Outer> r = bind("""
        tags: [a, b]
        limits: { zeta: 1, alpha: 2, mid: 3 }
        inner: { name: one }
        inners:
          - { name: two, weight: 2 }
          - name: three
        raw: { anything: [goes, here] }
        """, Outer.class);
    assertThat(r.errors()).isEmpty();
    Outer o = r.value();
    assertThat(o.tags()).containsExactly("a", "b");
    assertThat(o.limits().keySet()).containsExactly("zeta", "alpha", "mid");
    assertThat(o.inner()).isEqualTo(new Inner("one", 1));
    assertThat(o.inners()).containsExactly(new Inner("two", 2), new Inner("three", 1));
    assertThat(o.raw().path()).isEqualTo("x.raw");
    assertThat(o.raw().position()).isEqualTo(new ConfigPosition("t.yaml", 7, 6));
  }

  @Test
  void aScalarWhereAListIsExpectedIsAOneElementList() {
    Result<Outer> r = bind("tags: solo", Outer.class);
    assertThat(r.value().tags()).containsExactly("solo");
    assertThat(bind("tags: { a: 1 }", Outer.class).errors()).containsExactly("t.yaml:1:7: x.tags: {a: ..} (expected: a list)");
  }

  @Test
  void absentKeysAreNullAndTheConstructorAppliesDefaults() {
    Result<Defaults> r = bind("{}", Defaults.class);
    assertThat(r.value()).isEqualTo(new Defaults(8080, List.of()));
    Result<Defaults> explicitNull = bind("port: ~\nnames:", Defaults.class);
    assertThat(explicitNull.value()).isEqualTo(new Defaults(8080, List.of()));
  }

  @Test
  void aNullConfigNodeBindsAsAllDefaults() {
    ConfigErrors errors = new ConfigErrors(ConfigLocations.empty("t.yaml"));
    ConfigNode empty = new ConfigNode("t.yaml", "f", yaml("~"));
    assertThat(Binder.bind(empty, Defaults.class, errors)).isEqualTo(new Defaults(8080, List.of()));
    assertThat(errors.isEmpty()).isTrue();
  }

  @Test
  void requiredComponentsAreReportedAtTheParentMapping() {
    Result<Outer> r = bind("inner:\n  weight: 2\ninners: [ { weight: 3 } ]", Outer.class);
    assertThat(r.value()).isNull();
    assertThat(r.errors()).containsExactly(
        "t.yaml:2:3: x.inner: missing required key 'name'",
        "t.yaml:3:11: x.inners[0]: missing required key 'name'");
    assertThat(bind("inner: { name: }", Outer.class).errors())
        .containsExactly("t.yaml:1:15: x.inner.name: null (expected: a value)");
  }

  @Test
  void unknownKeysSuggestTheNearestKnownKey() {
    assertThat(bind("tgas: [a]\nlimit: {}\nzzz: 1", Outer.class).errors()).containsExactly(
        "t.yaml:1:1: x.tgas: unknown key (expected one of: tags, limits, inner, inners, raw; did you mean 'tags'?)",
        "t.yaml:2:1: x.limit: unknown key (expected one of: tags, limits, inner, inners, raw; did you mean 'limits'?)",
        "t.yaml:3:1: x.zzz: unknown key (expected one of: tags, limits, inner, inners, raw)");
  }

  @Test
  void constructorMessagesNamingAComponentAreReportedAtThatKey() {
    assertThat(bind("min: 5\nmax: 2", Validated.class).errors())
        .containsExactly("t.yaml:2:6: x.max: 2 (expected: >= min 5)");
    assertThat(bind("inners: [ { name: a, weight: 0 } ]", Outer.class).errors())
        .containsExactly("t.yaml:1:30: x.inners[0].weight: 0 (expected: >= 1)");
  }

  @Test
  void constructorMessagesAboutTheWholeRecordAreReportedAtTheRecord() {
    assertThat(bind("value: bad", Whole.class).errors()).containsExactly("t.yaml:1:1: x: bad (expected: good)");
  }

  @Test
  void siblingsAreStillCheckedWhenOneFails() {
    assertThat(bind("tags: [a, [b]]\nlimits: { a: x }\ninner: { name: n, weight: 0 }", Outer.class).errors())
        .containsExactly(
            "t.yaml:1:11: x.tags[1]: [b] (expected: a string)",
            "t.yaml:2:14: x.limits.a: x (expected: an integer)",
            "t.yaml:3:27: x.inner.weight: 0 (expected: >= 1)");
  }

  @Test
  void nullListElementsAndMapValuesAreErrors() {
    assertThat(bind("tags: [a, ~]\nlimits: { a: }", Outer.class).errors()).containsExactly(
        "t.yaml:1:11: x.tags[1]: ~ (expected: a value)",
        "t.yaml:2:13: x.limits.a: null (expected: a value)");
  }

  @Test
  void recordsWithOfStringAcceptAScalarOrAMapping() {
    assertThat(bind("address: example.com:80", WithShorthand.class).value().address())
        .isEqualTo(new Shorthand("example.com", 80));
    assertThat(bind("address: { host: h, port: 1 }", WithShorthand.class).value().address())
        .isEqualTo(new Shorthand("h", 1));
    assertThat(bind("address: nohost", WithShorthand.class).errors())
        .containsExactly("t.yaml:1:10: x.address: nohost (expected: host:port)");
  }

  @Test
  void typesWithParseAreScalarsOnly() {
    assertThat(bind("networks: [10.0.0.0/8, \"::1\"]", WithShorthand.class).value().networks())
        .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1/128"));
    assertThat(bind("networks: { high: 1 }", WithShorthand.class).errors())
        .containsExactly("t.yaml:1:11: x.networks: {high: ..} (expected: a list)");
    assertThat(bind("networks: [ { high: 1 } ]", WithShorthand.class).errors())
        .containsExactly("t.yaml:1:13: x.networks[0]: {high: ..} (expected: a value for Cidr)");
  }

  @Test
  void filterSpecsAreReadFromSingleKeyMaps() {
    record Route(List<FilterSpec> filters) {}
    Result<Route> r = bind("filters:\n  - cors:\n  - rate-limit: { capacity: 5 }", Route.class);
    assertThat(r.errors()).isEmpty();
    assertThat(r.value().filters()).extracting(FilterSpec::name).containsExactly("cors", "rate-limit");
    assertThat(r.value().filters().get(0).settings()).isNull();
    assertThat(r.value().filters().get(1).settings()).isEqualTo(Map.of("capacity", 5L));
    assertThat(bind("filters: [ { Bad_Name: {} } ]", Route.class).errors())
        .containsExactly("t.yaml:1:12: x.filters[0]: Bad_Name (expected: a filter name in kebab-case such as request-headers)");
  }

  @Test
  void configNodesBindLaterToTheirType() {
    record Later(Integer capacity, Duration period) {
      Later {
        if (capacity != null && capacity < 1) {
          throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
      }
    }
    record Holder(ConfigNode config) {}
    Holder holder = bind("config:\n  capacity: -5\n  period: 1s", Holder.class).value();
    ConfigErrors errors = new ConfigErrors(ConfigLocations.empty("t.yaml"));
    assertThat(Binder.bind(holder.config(), Later.class, errors)).isNull();
    assertThat(errors.errors()).extracting(ConfigError::toString)
        .containsExactly("t.yaml:2:13: x.config.capacity: -5 (expected: >= 1)");
  }

  @Test
  void unsupportedComponentTypesAreReportedNotThrown() {
    assertThat(bind("names: [a]\nmaybe: b", Unsupported.class).errors()).containsExactly(
        "t.yaml:1:8: x.names: [a] (expected: a config record component type the binder supports; java.util.Set<java.lang.String> is not one)",
        "t.yaml:2:8: x.maybe: b (expected: a config record component type the binder supports; java.util.Optional<java.lang.String> is not one)");
  }

  @Test
  void mapKeysThatNeedQuotingGetAQuotedPath() {
    assertThat(bind("limits: { \"a.b\": x }", Outer.class).errors())
        .containsExactly("t.yaml:1:18: x.limits[\"a.b\"]: x (expected: an integer)");
  }
}
