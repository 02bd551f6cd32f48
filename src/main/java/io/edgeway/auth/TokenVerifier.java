package io.edgeway.auth;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Date;
import java.util.List;

/**
 * Verifies one compact JWS against a list of providers, with no I/O: structure, then the provider
 * chosen by the token's {@code iss} (cheap routing instead of trying every provider), then header
 * rules ({@code crit}, {@code alg} allow-list, {@code typ}), then the signature against the
 * provider's in-memory keys, then the time and audience claims.
 *
 * <p>The key comes only from the provider: {@code jku}, {@code x5u}, {@code jwk} and {@code x5c}
 * headers are never read, and {@code kid} is only a lookup key into the provider's set. Claim
 * checks are done here (rather than with nimbus's {@code DefaultJWTClaimsVerifier}) so that each
 * failure maps to a precise reason without reading library messages, and so the clock is the
 * caller's.
 */
final class TokenVerifier {
  private TokenVerifier() {}

  /** The outcome of a verification. */
  sealed interface Result permits Verified, Rejected {}

  /** A valid token: its provider, the key set that verified it, its claims and exp. */
  record Verified(JwtProvider provider, KeySet keys, JWTClaimsSet claims, long expiresAtMillis) implements Result {}

  /**
   * A rejected token; {@code provider} is set when the reason concerns one provider's keys
   * ({@link JwtRejection#UNKNOWN_KEY}, {@link JwtRejection#KEYS_UNAVAILABLE}).
   */
  record Rejected(JwtRejection reason, JwtProvider provider) implements Result {}

  private static final Rejected MALFORMED = new Rejected(JwtRejection.MALFORMED_TOKEN, null);
  private static final Rejected BAD_ALG = new Rejected(JwtRejection.INVALID_ALGORITHM, null);
  private static final Rejected BAD_ISSUER = new Rejected(JwtRejection.INVALID_ISSUER, null);
  private static final Rejected NO_SIGNATURE = new Rejected(JwtRejection.INVALID_SIGNATURE, null);

  static Result verify(String token, List<JwtProvider> providers, long nowMillis) {
    int firstDot = token.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || token.indexOf('.', secondDot + 1) >= 0) {
      return MALFORMED;
    }
    if (secondDot == token.length() - 1) {
      return isUnsecured(token.substring(0, firstDot)) ? BAD_ALG : NO_SIGNATURE;
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      return isUnsecured(token.substring(0, firstDot)) ? BAD_ALG : MALFORMED;
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      return MALFORMED;
    }
    String issuer = stringClaim(claims, "iss");
    if (issuer == null) {
      return BAD_ISSUER;
    }
    Rejected first = null;
    for (int i = 0; i < providers.size(); i++) {
      JwtProvider provider = providers.get(i);
      if (!provider.issuer().equals(issuer)) {
        continue;
      }
      Result result = verifyWith(provider, jwt, claims, nowMillis);
      if (result instanceof Verified) {
        return result;
      }
      if (first == null) {
        first = (Rejected) result;
      }
    }
    return first != null ? first : BAD_ISSUER;
  }

  private static Result verifyWith(JwtProvider provider, SignedJWT jwt, JWTClaimsSet claims, long now) {
    JWSHeader header = jwt.getHeader();
    if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
      // This gateway understands no JWS extension: RFC 7515 section 4.1.11 requires rejecting it.
      return new Rejected(JwtRejection.UNSUPPORTED_CRITICAL_HEADER, provider);
    }
    JWSAlgorithm alg = header.getAlgorithm();
    if (!provider.algorithms().contains(alg)) {
      return new Rejected(JwtRejection.INVALID_ALGORITHM, provider);
    }
    if (!provider.acceptsType(header.getType() == null ? null : header.getType().getType())) {
      return new Rejected(JwtRejection.INVALID_TOKEN_TYPE, provider);
    }
    KeySet keys = provider.usableKeys(now);
    if (keys == null) {
      return new Rejected(JwtRejection.KEYS_UNAVAILABLE, provider);
    }
    List<KeySet.Entry> candidates = keys.candidates(alg, header.getKeyID());
    if (candidates.isEmpty()) {
      return new Rejected(JwtRejection.UNKNOWN_KEY, provider);
    }
    boolean valid = false;
    byte[] signingInput = jwt.getSigningInput();
    Base64URL signature = jwt.getSignature();
    for (int i = 0; i < candidates.size() && !valid; i++) {
      try {
        valid = candidates.get(i).verifier().verify(header, signingInput, signature);
      } catch (JOSEException | RuntimeException e) {
        valid = false;
      }
    }
    if (!valid) {
      return new Rejected(JwtRejection.INVALID_SIGNATURE, provider);
    }
    JwtRejection claimsProblem = checkClaims(provider, claims, now);
    if (claimsProblem != null) {
      return new Rejected(claimsProblem, provider);
    }
    return new Verified(provider, keys, claims, claims.getExpirationTime().getTime());
  }

  /** Time and audience rules; null when the claims are acceptable. */
  static JwtRejection checkClaims(JwtProvider provider, JWTClaimsSet claims, long now) {
    long skew = provider.skewMillis();
    Date exp;
    Date nbf;
    Date iat;
    List<String> aud;
    try {
      exp = claims.getDateClaim("exp");
      nbf = claims.getDateClaim("nbf");
      iat = claims.getDateClaim("iat");
      aud = claims.getStringListClaim("aud");
    } catch (ParseException | RuntimeException e) {
      return JwtRejection.INVALID_CLAIMS;
    }
    if (exp == null) {
      return JwtRejection.MISSING_EXPIRATION;
    }
    if (exp.getTime() + skew <= now) {
      return JwtRejection.TOKEN_EXPIRED;
    }
    if ((nbf != null && nbf.getTime() - skew > now) || (iat != null && iat.getTime() - skew > now)) {
      return JwtRejection.TOKEN_NOT_YET_VALID;
    }
    if (!provider.audiences().isEmpty()) {
      boolean match = false;
      if (aud != null) {
        for (String a : aud) {
          if (a != null && provider.audiences().contains(a)) {
            match = true;
            break;
          }
        }
      }
      if (!match) {
        return JwtRejection.INVALID_AUDIENCE;
      }
    }
    return null;
  }

  private static String stringClaim(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String s ? s : null;
  }

  private static boolean isUnsecured(String headerPart) {
    try {
      return Header.parse(new Base64URL(headerPart)) instanceof PlainHeader;
    } catch (ParseException | RuntimeException e) {
      return false;
    }
  }
}
