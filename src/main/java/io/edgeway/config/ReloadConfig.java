package io.edgeway.config;

import java.time.Duration;

/**
 * How the running gateway notices a changed configuration file ({@code server.reload}). SIGHUP and
 * {@code POST /config/reload} on the admin port reload whatever this says.
 *
 * @param watch reload when the configuration file changes; default true
 * @param debounce how long the file must stay unchanged before it is read (editors write in
 *     several steps); default 500ms, at least 10ms
 */
public record ReloadConfig(Boolean watch, Duration debounce) {

  public ReloadConfig {
    watch = watch == null ? Boolean.TRUE : watch;
    debounce = debounce == null ? Duration.ofMillis(500) : ComponentChecks.positive("debounce", debounce);
    if (debounce.toMillis() < 10) {
      throw new IllegalArgumentException("debounce: " + debounce.toMillis() + "ms (expected: at least 10ms)");
    }
  }

  /** All defaults. */
  public static ReloadConfig defaults() {
    return new ReloadConfig(null, null);
  }
}
