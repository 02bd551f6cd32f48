package io.edgeway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.ConfigLoader;
import io.edgeway.config.LoadedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The load-test scenarios stay valid configurations. */
class ScenarioFilesTest {
  @ParameterizedTest
  @ValueSource(strings = {"ratelimit-node", "ratelimit-cluster"})
  void scenarioLoads(String name) throws Exception {
    String yaml = Files.readString(Path.of("loadtest/scenarios", name + ".yaml"))
        .replace("${UPSTREAM_URL}", "http://127.0.0.1:9");
    LoadedConfig loaded = ConfigLoader.load(name + ".yaml", yaml);
    assertThat(loaded.config().routes()).hasSize(1);
  }
}
