package io.edgeway.runtime;

import static java.util.Objects.requireNonNull;

/**
 * Why a module could not prepare its reloaded section ({@link GatewayModule#prepareReload}): the key
 * path the reload is refused at, and a message {@code value (expected: ...)}. The reloader reports it
 * at that key's position in the new file.
 */
public final class ReloadRefusedException extends RuntimeException {
  private final String path;
  private final String detail;

  /** The message is {@code path: detail}, as start-up reports it. */
  public ReloadRefusedException(String path, String detail) {
    super(requireNonNull(path, "path") + ": " + requireNonNull(detail, "detail"), null, false, false);
    this.path = path;
    this.detail = detail;
  }

  /** What is wrong at {@link #path()}: {@code value (expected: ...)}. */
  public String detail() {
    return detail;
  }

  /** The key path, e.g. {@code jwt-providers.partner.jwks-url}. */
  public String path() {
    return path;
  }
}
