package io.edgeway.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JsonEncoderTest {
  private record Target(String host, int port) {}

  @Test
  void encodesPlainJsonAndRejectsRecordsAsTheJarDoes() {
    JsonObject plain = new JsonObject().put("s", "x").put("n", 1).put("b", true).put("list", List.of("a"))
        .put("map", Map.of("k", 2));
    assertThat(new JsonObject(JsonEncoder.encode(plain))).isEqualTo(plain);
    assertThat(JsonEncoder.encodePrettily(plain)).contains("\n");
    // Databind (on the test class path only) would write {"host":..,"port":..}; the jar cannot.
    assertThatThrownBy(() -> JsonEncoder.encode(new JsonObject().put("t", new Target("h", 1))))
        .isInstanceOf(EncodeException.class);
  }

  /**
   * {@code JsonObject.encode()} and friends use databind whenever it is on the class path, so a
   * call in main code would behave differently in tests and in the jar.
   */
  @Test
  void mainCodeEncodesVertxJsonOnlyThroughTheEncoder() throws IOException {
    Pattern codecDependent = Pattern.compile("\\.encode(Prettily)?\\(\\)|Json\\.encode|\\.mapFrom\\(|\\.mapTo\\(");
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      List<String> offenders = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
        try {
          List<String> lines = Files.readAllLines(f);
          return java.util.stream.IntStream.range(0, lines.size())
              .filter(i -> codecDependent.matcher(lines.get(i)).find())
              .mapToObj(i -> f + ":" + (i + 1) + ": " + lines.get(i).strip());
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
      assertThat(offenders).isEmpty();
    }
  }
}
