package io.edgeway.auth;

/**
 * Why a request was not authenticated: the HTTP status, the stable problem {@code code} (the
 * reason class clients and events see) and a generic title. Titles never contain the token, key
 * material or library messages.
 */
public enum JwtRejection {
  MISSING_TOKEN(401, "missing_token", "A bearer token is required"),
  AMBIGUOUS_TOKEN(400, "ambiguous_token", "The request carries more than one token"),
  TOKEN_TOO_LARGE(401, "token_too_large", "The token is too large"),
  MALFORMED_TOKEN(401, "malformed_token", "The token is not a well-formed signed JWT"),
  INVALID_ALGORITHM(401, "invalid_algorithm", "The token's algorithm is not accepted"),
  UNSUPPORTED_CRITICAL_HEADER(401, "unsupported_critical_header", "The token has critical header parameters"),
  INVALID_TOKEN_TYPE(401, "invalid_token_type", "The token's type is not accepted"),
  INVALID_ISSUER(401, "invalid_issuer", "The token's issuer is not accepted"),
  UNKNOWN_KEY(401, "unknown_key", "The token's signing key is not known"),
  INVALID_SIGNATURE(401, "invalid_signature", "The token's signature is invalid"),
  MISSING_EXPIRATION(401, "missing_expiration", "The token has no expiration time"),
  TOKEN_EXPIRED(401, "token_expired", "The token has expired"),
  TOKEN_NOT_YET_VALID(401, "token_not_yet_valid", "The token is not valid yet"),
  INVALID_AUDIENCE(401, "invalid_audience", "The token's audience is not accepted"),
  INVALID_CLAIMS(401, "invalid_claims", "The token's claims are malformed"),
  INSUFFICIENT_SCOPE(403, "insufficient_scope", "The token does not grant access to this resource"),
  KEYS_UNAVAILABLE(503, "jwks_unavailable", "Token verification keys are not available yet");

  private final int status;
  private final String code;
  private final String title;

  JwtRejection(int status, String code, String title) {
    this.status = status;
    this.code = code;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }
}
