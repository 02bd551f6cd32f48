package io.edgeway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import io.edgeway.spi.DataSize;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One entry of the top-level {@code jwt-providers} section: who issues tokens, which algorithms
 * are allowed, and where the verifying keys come from (exactly one of {@code secret},
 * {@code public-key-file}, {@code jwks-file}, {@code jwks-url}).
 *
 * @param issuer the exact {@code iss} value of this provider's tokens (required)
 * @param audiences accepted {@code aud} values; a token's aud must contain one; empty: aud not checked
 * @param algorithms the explicit allow-list of JWS algorithms (required)
 * @param secret HMAC secret (UTF-8 bytes), for HS256/384/512 only; at least as long as the hash
 * @param publicKeyFile a PEM file ({@code PUBLIC KEY} or {@code CERTIFICATE}), RSA or EC
 * @param jwksFile a JWK Set file read at start-up
 * @param jwksUrl a JWK Set URL fetched asynchronously, cached and refreshed
 * @param clockSkew tolerance for exp, nbf and iat; default 30s, at most 5m
 * @param tokenTypes accepted {@code typ} header values; default: absent, JWT or at+jwt
 * @param jwksCacheTtl how long a fetched key set is fresh; default 5m
 * @param jwksRefreshAhead refresh that long before the set goes stale; default 30s
 * @param jwksMinRefetchInterval at most one on-demand fetch (unknown kid) per interval; default 30s
 * @param jwksFetchTimeout timeout of one fetch (connect and whole response); default 2s
 * @param jwksMaxSize largest JWK Set document accepted; default 50KiB
 * @param jwksOutageTolerance how long past its TTL the last good set is still used when the
 *     endpoint fails; default 1h
 */
public record JwtProviderConfig(
    String issuer, List<String> audiences, List<String> algorithms, String secret, String publicKeyFile,
    String jwksFile, String jwksUrl, Duration clockSkew, List<String> tokenTypes, Duration jwksCacheTtl,
    Duration jwksRefreshAhead, Duration jwksMinRefetchInterval, Duration jwksFetchTimeout, DataSize jwksMaxSize,
    Duration jwksOutageTolerance) {

  /** Where the keys come from. */
  public enum KeySource { SECRET, PUBLIC_KEY_FILE, JWKS_FILE, JWKS_URL }

  public JwtProviderConfig {
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("issuer: " + issuer + " (expected: the exact iss value of the provider's tokens)");
    }
    audiences = audiences == null ? List.of() : List.copyOf(audiences);
    if (algorithms == null || algorithms.isEmpty()) {
      throw new IllegalArgumentException("algorithms: " + algorithms + " (expected: an explicit allow-list such as [RS256])");
    }
    algorithms = List.copyOf(algorithms);
    Set<JWSAlgorithm> algs = SigningAlgorithms.parse(algorithms);
    int sources = (secret != null ? 1 : 0) + (publicKeyFile != null ? 1 : 0) + (jwksFile != null ? 1 : 0)
        + (jwksUrl != null ? 1 : 0);
    if (sources != 1) {
      throw new IllegalArgumentException("key source: " + sources + " given (expected: exactly one of secret, "
          + "public-key-file, jwks-file, jwks-url)");
    }
    boolean anyHmac = algs.stream().anyMatch(SigningAlgorithms::isHmac);
    boolean anyAsymmetric = algs.stream().anyMatch(a -> !SigningAlgorithms.isHmac(a));
    if (secret != null) {
      if (anyAsymmetric) {
        throw new IllegalArgumentException("algorithms: " + algorithms + " (expected: only HS256, HS384 or HS512 with a secret)");
      }
      int bytes = secret.getBytes(StandardCharsets.UTF_8).length;
      for (JWSAlgorithm alg : algs) {
        if (bytes < SigningAlgorithms.hmacKeyBytes(alg)) {
          // Never echo the secret itself.
          throw new IllegalArgumentException("secret: " + bytes + " bytes (expected: at least "
              + SigningAlgorithms.hmacKeyBytes(alg) + " bytes for " + alg + ")");
        }
      }
    } else if (anyHmac) {
      throw new IllegalArgumentException("algorithms: " + algorithms + " (expected: HS256/384/512 only with secret; "
          + "public-key-file and JWKS sources verify RS*, PS* and ES*)");
    }
    if (jwksUrl != null) {
      URI uri;
      try {
        uri = URI.create(jwksUrl);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException("jwks-url: " + jwksUrl + " (expected: an absolute http or https URL)");
      }
    }
    clockSkew = clockSkew == null ? Duration.ofSeconds(30) : clockSkew;
    if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException("clock-skew: " + clockSkew + " (expected: 0s to 5m)");
    }
    tokenTypes = tokenTypes == null ? List.of() : List.copyOf(tokenTypes);
    jwksCacheTtl = positive("jwks-cache-ttl", jwksCacheTtl, Duration.ofMinutes(5));
    jwksRefreshAhead = jwksRefreshAhead == null ? Duration.ofSeconds(30) : jwksRefreshAhead;
    if (jwksRefreshAhead.isNegative() || jwksRefreshAhead.compareTo(jwksCacheTtl) >= 0) {
      throw new IllegalArgumentException("jwks-refresh-ahead: " + jwksRefreshAhead + " (expected: >= 0s and shorter than jwks-cache-ttl)");
    }
    jwksMinRefetchInterval = positive("jwks-min-refetch-interval", jwksMinRefetchInterval, Duration.ofSeconds(30));
    jwksFetchTimeout = positive("jwks-fetch-timeout", jwksFetchTimeout, Duration.ofSeconds(2));
    jwksMaxSize = jwksMaxSize == null ? DataSize.ofBytes(51_200) : jwksMaxSize;
    if (jwksMaxSize.bytes() < 256 || jwksMaxSize.bytes() > 16L << 20) {
      throw new IllegalArgumentException("jwks-max-size: " + jwksMaxSize + " (expected: 256B to 16MiB)");
    }
    jwksOutageTolerance = jwksOutageTolerance == null ? Duration.ofHours(1) : jwksOutageTolerance;
    if (jwksOutageTolerance.isNegative()) {
      throw new IllegalArgumentException("jwks-outage-tolerance: " + jwksOutageTolerance + " (expected: >= 0s)");
    }
  }

  private static Duration positive(String key, Duration value, Duration fallback) {
    Duration d = value == null ? fallback : value;
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(key + ": " + d + " (expected: > 0s)");
    }
    return d;
  }

  /** The configured key source. */
  public KeySource keySource() {
    if (secret != null) return KeySource.SECRET;
    if (publicKeyFile != null) return KeySource.PUBLIC_KEY_FILE;
    if (jwksFile != null) return KeySource.JWKS_FILE;
    return KeySource.JWKS_URL;
  }

  /** The allow-list as nimbus algorithms. */
  Set<JWSAlgorithm> allowedAlgorithms() {
    return SigningAlgorithms.parse(algorithms);
  }

  /** Never prints the secret (records print every component by default). */
  @Override
  public String toString() {
    return "JwtProviderConfig[issuer=" + issuer + ", audiences=" + audiences + ", algorithms=" + algorithms
        + ", source=" + keySource() + (secret != null ? ", secret=***" : "")
        + (publicKeyFile != null ? ", public-key-file=" + publicKeyFile : "")
        + (jwksFile != null ? ", jwks-file=" + jwksFile : "") + (jwksUrl != null ? ", jwks-url=" + jwksUrl : "")
        + ", clock-skew=" + clockSkew + "]";
  }
}
