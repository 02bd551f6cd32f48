package io.edgeway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code training-run}'s own arguments; the run itself is ClassArchiveSmokeIT's, against the jar. */
class TrainingRunTest {

  private static String errorOf(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new TrainingRun().run(args, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(Main.USAGE);
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aRequestIsAPath() {
    assertThat(errorOf("--request")).contains("--request needs a path starting with /");
    assertThat(errorOf("--request", "http://127.0.0.1/demo")).contains("--request needs a path starting with /");
  }

  @Test
  void otherArgumentsAreTheGatewaysAndCheckedAsSuch() {
    assertThat(errorOf("--request", "/demo/hello", "--no-such-flag")).contains("unknown argument '--no-such-flag'");
  }

  @Test
  void itIsFoundAsASubcommand() {
    assertThat(Subcommand.find("training-run", Main.class.getClassLoader())).get().isInstanceOf(TrainingRun.class);
  }
}
