package io.edgeway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvSubstitutionTest {

  private final EnvSubstitution substitution =
      new EnvSubstitution(Map.of("HOST", "10.0.0.1", "PORT", "80", "EMPTY", "", "TRICK", "${HOST}")::get);

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "plain|plain",
      "${HOST}|10.0.0.1",
      "http://${HOST}:${PORT}/|http://10.0.0.1:80/",
      "${MISSING:-fallback}|fallback",
      "${MISSING:-}|''",
      "${EMPTY}|''",
      "${EMPTY:-used}|used",
      "${HOST:-unused}|10.0.0.1",
      "$${HOST}|${HOST}",
      "cost: $5|cost: $5",
      "$$|$$",
      "${TRICK}|${HOST}",
      "${MISSING:-a:-b}|a:-b"})
  void substitutes(String text, String expected) {
    assertThat(substitution.apply(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "${MISSING}|${MISSING} (expected: environment variable MISSING to be set)",
      "a ${HOST} ${MISSING}|${MISSING} (expected: environment variable MISSING to be set)",
      "${HOST|${HOST (expected: ${NAME} or ${NAME:-default} closed by '}')",
      "${}|${} (expected: ${NAME} or ${NAME:-default} where NAME is letters, digits and '_', not starting with a digit)",
      "${1X}|${1X} (expected: ${NAME} or ${NAME:-default} where NAME is letters, digits and '_', not starting with a digit)",
      "${A-B}|${A-B} (expected: ${NAME} or ${NAME:-default} where NAME is letters, digits and '_', not starting with a digit)"})
  void reportsProblems(String text, String message) {
    assertThatThrownBy(() -> substitution.apply(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
