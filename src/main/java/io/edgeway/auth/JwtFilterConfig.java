package io.edgeway.auth;

import io.edgeway.spi.DataSize;
import java.util.List;
import java.util.Map;

/**
 * Configuration of the {@code jwt} filter.
 *
 * @param providers names from the top-level {@code jwt-providers} whose tokens are accepted (required)
 * @param from where the token is read; default {@code Authorization: Bearer}
 * @param requiredClaims claim name to required value: the claim equals it, or (for a
 *     space-separated string or an array claim) contains every space-separated part of it;
 *     otherwise 403 insufficient_scope
 * @param forwardClaims claim name to request header; these headers are always removed from the
 *     incoming request first, then set from the verified token
 * @param stripAuthorization remove the token (header or cookie) before forwarding; default false
 * @param maxTokenSize longer tokens are rejected before parsing; default 8KiB
 * @param realm the realm of {@code WWW-Authenticate}; default edgeway
 * @param tokenCacheSize verified tokens kept (keyed by SHA-256, never past exp); default 10000, 0 off
 */
public record JwtFilterConfig(
    List<String> providers, TokenLocation from, Map<String, String> requiredClaims,
    Map<String, String> forwardClaims, Boolean stripAuthorization, DataSize maxTokenSize, String realm,
    Integer tokenCacheSize) {

  public JwtFilterConfig {
    if (providers == null || providers.isEmpty()) {
      throw new IllegalArgumentException("providers: " + providers + " (expected: at least one name from jwt-providers)");
    }
    providers = List.copyOf(providers);
    from = from == null ? TokenLocation.bearer() : from;
    requiredClaims = requiredClaims == null ? Map.of() : Map.copyOf(requiredClaims);
    requiredClaims.forEach((claim, value) -> {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("required-claims: " + claim + " (expected: a non-empty value)");
      }
    });
    forwardClaims = forwardClaims == null ? Map.of() : Map.copyOf(forwardClaims);
    forwardClaims.forEach((claim, header) -> {
      if (header == null || header.isEmpty() || !header.chars().allMatch(JwtFilterConfig::isTokenChar)) {
        throw new IllegalArgumentException("forward-claims: " + claim + ": " + header + " (expected: a header name such as X-User-Id)");
      }
    });
    stripAuthorization = stripAuthorization != null && stripAuthorization;
    maxTokenSize = maxTokenSize == null ? DataSize.ofBytes(8192) : maxTokenSize;
    if (maxTokenSize.bytes() < 64 || maxTokenSize.bytes() > 64 * 1024) {
      throw new IllegalArgumentException("max-token-size: " + maxTokenSize + " (expected: 64B to 64KiB)");
    }
    realm = realm == null ? "edgeway" : realm;
    if (!realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
      throw new IllegalArgumentException("realm: " + realm + " (expected: printable ASCII without quotes or backslashes)");
    }
    tokenCacheSize = tokenCacheSize == null ? 10_000 : tokenCacheSize;
    if (tokenCacheSize < 0 || tokenCacheSize > 10_000_000) {
      throw new IllegalArgumentException("token-cache-size: " + tokenCacheSize + " (expected: 0 to 10000000)");
    }
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
