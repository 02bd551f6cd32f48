package io.edgeway.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class UtcTimestampsTest {

  @Test
  void eventTimeIsRfc3339WithMillisecondsAndParsesBackToTheSameInstant() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long[] fixed = {0, 999, 1000, 1_764_201_615_042L, 1_764_201_615_000L, 253_402_300_799_999L};
    for (long millis : fixed) {
      assertThat(Instant.parse(UtcTimestamps.text(millis))).isEqualTo(Instant.ofEpochMilli(millis));
    }
    for (int i = 0; i < 10_000; i++) {
      long millis = random.nextLong(0, 253_402_300_800_000L);
      String text = UtcTimestamps.text(millis);
      assertThat(text).hasSize(24).endsWith("Z");
      assertThat(Instant.parse(text)).isEqualTo(Instant.ofEpochMilli(millis));
    }
    assertThat(UtcTimestamps.text(1_764_201_615_042L)).isEqualTo("2025-11-27T00:00:15.042Z");
    // Beyond year 9999 the layout changes; still a parseable instant.
    assertThat(Instant.parse(UtcTimestamps.text(253_402_300_800_000L))).isEqualTo(Instant.ofEpochMilli(253_402_300_800_000L));
  }
}
