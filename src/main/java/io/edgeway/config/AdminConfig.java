package io.edgeway.config;

import io.edgeway.http.Cidr;
import java.util.Locale;

/**
 * The admin HTTP API listener.
 *
 * <p>The admin API shows the running configuration and can purge the cache, so anywhere but
 * loopback it needs a bearer token: a config that binds it elsewhere without {@code token} is
 * invalid (at start-up and in {@code --check} alike), never silently open.
 *
 * @param host address to bind; default {@code 127.0.0.1} (keep the admin API off public interfaces)
 * @param port 0..65535, default 9901 (0 = ephemeral, for tests)
 * @param enabled default true
 * @param token the bearer token every admin request but {@code /health} and {@code /ready} must
 *     carry; required when {@code host} is not a loopback address; default none (an empty value,
 *     as {@code ${EDGEWAY_ADMIN_TOKEN:-}} gives when the variable is unset, means none)
 */
public record AdminConfig(String host, Integer port, Boolean enabled, String token) {
  /** Shorter tokens can be guessed; 16 characters is the floor, 32 random bytes in hex the advice. */
  static final int MIN_TOKEN_LENGTH = 16;

  public AdminConfig {
    host = host == null ? "127.0.0.1" : ComponentChecks.host("host", host);
    port = port == null ? 9901 : ComponentChecks.range("port", port, 0, 65535);
    enabled = enabled == null ? Boolean.TRUE : enabled;
    token = token == null || token.isEmpty() ? null : checkToken(token);
    if (enabled && token == null && !isLoopback(host)) {
      throw new IllegalArgumentException("host: " + host + " (expected: a loopback address such as 127.0.0.1, ::1 or "
          + "localhost, or admin.token set: off loopback the admin API requires a bearer token)");
    }
  }

  /** All defaults: loopback, port 9901, no token. */
  public static AdminConfig defaults() {
    return new AdminConfig(null, null, null, null);
  }

  /** True when requests must carry the token ({@code Authorization: Bearer ...}). */
  public boolean requiresToken() {
    return token != null;
  }

  /**
   * True for an address only this machine can reach: {@code localhost}, 127.0.0.0/8 and ::1
   * (in any spelling). Host names are never resolved here, so any other name counts as public.
   */
  public static boolean isLoopback(String host) {
    if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    byte[] address = Cidr.parseAddressLiteral(host);
    if (address == null) {
      return false;
    }
    if (address.length == 4) {
      return address[0] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[15] == 1;
  }

  private static String checkToken(String token) {
    boolean visibleAscii = token.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    if (token.length() < MIN_TOKEN_LENGTH || !visibleAscii) {
      // The value is a secret: say what is wrong with it, never what it is.
      throw new IllegalArgumentException("token: (hidden, " + token.length() + " characters) (expected: at least "
          + MIN_TOKEN_LENGTH + " visible ASCII characters without spaces, e.g. from `openssl rand -hex 32`)");
    }
    return token;
  }

  /** Never prints the token (configs end up in logs and assertion messages). */
  @Override
  public String toString() {
    return "AdminConfig[host=" + host + ", port=" + port + ", enabled=" + enabled + ", token="
        + (token == null ? "none" : "(hidden)") + "]";
  }
}
