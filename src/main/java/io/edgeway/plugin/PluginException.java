package io.edgeway.plugin;

/**
 * A plugin jar that cannot be used: unreadable, no or an incompatible SPI version, a factory that
 * cannot be instantiated, a filter name claimed twice. The message is one line naming the jar(s),
 * in the {@code name: value (expected: ...)} form; start-up and {@code --check} print it and exit
 * with the invalid-configuration code, a reload is refused with it.
 */
public final class PluginException extends Exception {
  public PluginException(String message) {
    super(message);
  }

  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
