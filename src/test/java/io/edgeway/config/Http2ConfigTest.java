package io.edgeway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeway.spi.DataSize;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class Http2ConfigTest {

  @Test
  void defaultsAreOffWithDocumentedLimits() {
    Http2Config d = Http2Config.defaults();
    assertThat(d.enabled()).isFalse();
    assertThat(d.maxConcurrentStreams()).isEqualTo(100);
    assertThat(d.maxHeaderListSize()).isEqualTo(DataSize.parse("32KiB"));
    assertThat(d.headerTableSize()).isEqualTo(DataSize.parse("4KiB"));
    assertThat(d.initialWindowSize()).isEqualTo(DataSize.parse("64KiB"));
    assertThat(d.connectionWindowSize()).isEqualTo(DataSize.parse("1MiB"));
    assertThat(d.maxFrameSize()).isEqualTo(DataSize.parse("16KiB"));
    assertThat(d.maxResetsPerWindow()).isEqualTo(200);
    assertThat(d.resetWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.maxSmallContinuationFrames()).isEqualTo(16);
    assertThat(ServerConfig.defaults().http2()).isEqualTo(d);
  }

  @Test
  void limitsOutsideHttp2sRangesAreRefused() {
    assertThatThrownBy(() -> new Http2Config(true, null, null, null, null, null, DataSize.parse("1KiB"), null, null, null))
        .hasMessage("max-frame-size: 1KiB (expected: a size from 16KiB to 16777215B)");
    assertThatThrownBy(() -> new Http2Config(true, null, null, null, null, null, null, null, Duration.ofMillis(1500), null))
        .hasMessage("reset-window: 1500ms (expected: whole seconds such as 30s)");
    assertThatThrownBy(() -> new Http2Config(true, null, null, null, DataSize.parse("3GiB"), null, null, null, null, null))
        .hasMessageStartingWith("initial-window-size: 3GiB (expected: a size from 1KiB to ");
  }
}
