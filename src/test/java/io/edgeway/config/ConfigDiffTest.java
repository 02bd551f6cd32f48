package io.edgeway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.http.Cidr;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {

  @Test
  void namesEachChangedKeyAsWrittenInYaml() {
    ServerConfig running = ServerConfig.defaults();
    ServerConfig next = new ServerConfig("127.0.0.1", 9090, running.instances(), List.of(Cidr.parse("10.0.0.0/8")),
        Duration.ofSeconds(30), running.limits(), null, null, Duration.ofMillis(1500), new ReloadConfig(false, null), null, null);

    assertThat(ConfigDiff.between("server", running, next)).extracting(ConfigDiff.Change::path).containsExactly(
        // server.listeners is derived from host and port when no list is written: it changes with them.
        "server.host", "server.port", "server.trusted-proxies", "server.listeners", "server.drain-delay",
        "server.reload.watch");
    assertThat(ConfigDiff.between("server", running, next).get(1).describe("changing it needs a restart"))
        .isEqualTo("9090 (expected: 8080, the running value; changing it needs a restart)");
    assertThat(ConfigDiff.between("server", running, next).get(4).describe("x"))
        .isEqualTo("1500ms (expected: 5s, the running value; x)");
  }

  @Test
  void equalConfigurationsAndScalarRecordsCompareByValue() {
    assertThat(ConfigDiff.between("server", ServerConfig.defaults(), ServerConfig.defaults())).isEmpty();
    TargetConfig a = new TargetConfig(UpstreamUrl.parse("http://127.0.0.1:1"), null);
    TargetConfig b = new TargetConfig(UpstreamUrl.parse("http://127.0.0.1:2"), null);
    assertThat(ConfigDiff.between("t", a, b)).extracting(ConfigDiff.Change::path).containsExactly("t.url");
  }
}
