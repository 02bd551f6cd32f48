package io.edgeway.auth;

import io.edgeway.spi.GatewayRequest;
import io.vertx.core.MultiMap;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the token from its one configured location and refuses ambiguity (security.md D6): the
 * location present more than once, or a token there while another well-known location
 * ({@code Authorization: Bearer}, the {@code access_token} query parameter) carries one too, is
 * 400 ambiguous_token, so the upstream can never be handed a different, unverified token.
 */
final class TokenExtractor {
  /** A token, or the reason there is none. */
  record Extracted(String token, JwtRejection problem) {}

  static final Extracted MISSING = new Extracted(null, JwtRejection.MISSING_TOKEN);
  static final Extracted AMBIGUOUS = new Extracted(null, JwtRejection.AMBIGUOUS_TOKEN);
  static final Extracted MALFORMED = new Extracted(null, JwtRejection.MALFORMED_TOKEN);
  private static final String AUTHORIZATION = "Authorization";
  private static final String ACCESS_TOKEN = "access_token";

  private final TokenLocation location;

  TokenExtractor(TokenLocation location) {
    this.location = location;
  }

  Extracted extract(MultiMap headers, String query) {
    if (location.isBearer()) {
      List<String> values = headers.getAll(AUTHORIZATION);
      if (values.size() > 1) {
        return AMBIGUOUS;
      }
      String token = values.isEmpty() ? null : bearerToken(values.get(0));
      if (token == null) {
        return MISSING;
      }
      if (queryCount(query, ACCESS_TOKEN) > 0) {
        return AMBIGUOUS;
      }
      return token.isEmpty() ? MALFORMED : new Extracted(token, null);
    }
    String token;
    if (location.header() != null) {
      List<String> values = headers.getAll(location.header());
      if (values.size() > 1) {
        return AMBIGUOUS;
      }
      token = values.isEmpty() ? null : values.get(0).trim();
    } else if (location.cookie() != null) {
      token = cookieValue(headers.getAll("Cookie"), location.cookie());
      if (token == AMBIGUOUS_MARK) {
        return AMBIGUOUS;
      }
    } else {
      int count = queryCount(query, location.query());
      if (count > 1) {
        return AMBIGUOUS;
      }
      token = count == 0 ? null : queryValue(query, location.query());
    }
    if (token == null) {
      return MISSING;
    }
    String authorization = headers.get(AUTHORIZATION);
    if (authorization != null && bearerToken(authorization) != null) {
      return AMBIGUOUS;
    }
    if (location.query() == null && queryCount(query, ACCESS_TOKEN) > 0) {
      return AMBIGUOUS;
    }
    return token.isEmpty() ? MALFORMED : new Extracted(token, null);
  }

  /** Removes the token from what goes upstream: its header, its cookie, or its query parameter. */
  void strip(GatewayRequest request) {
    MultiMap headers = request.headers();
    if (location.query() != null) {
      request.upstreamQuery(withoutParameter(request.upstreamQuery(), location.query()));
    } else if (location.isBearer()) {
      headers.remove(AUTHORIZATION);
    } else if (location.header() != null) {
      headers.remove(location.header());
    } else if (location.cookie() != null) {
      List<String> cookies = headers.getAll("Cookie");
      headers.remove("Cookie");
      StringBuilder kept = new StringBuilder();
      for (String header : cookies) {
        for (String pair : header.split(";")) {
          String p = pair.trim();
          int eq = p.indexOf('=');
          String name = eq < 0 ? p : p.substring(0, eq).trim();
          if (!p.isEmpty() && !name.equals(location.cookie())) {
            if (kept.length() > 0) {
              kept.append("; ");
            }
            kept.append(p);
          }
        }
      }
      if (kept.length() > 0) {
        headers.set("Cookie", kept.toString());
      }
    }
  }

  /** {@code query} without its {@code name} parameters (names compared decoded); the rest byte for byte. */
  static String withoutParameter(String query, String name) {
    if (query == null) {
      return null;
    }
    StringBuilder kept = new StringBuilder(query.length());
    boolean first = true;
    for (String pair : query.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (!pair.isEmpty() && decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
        continue;
      }
      if (!first) {
        kept.append('&');
      }
      kept.append(pair);
      first = false;
    }
    return kept.toString();
  }

  /** The token of a {@code Bearer} credential (scheme case-insensitive), "" when empty, null for another scheme. */
  static String bearerToken(String value) {
    String v = value.trim();
    if (v.length() < 6 || !v.regionMatches(true, 0, "Bearer", 0, 6)) {
      return null;
    }
    if (v.length() == 6) {
      return "";
    }
    if (v.charAt(6) != ' ' && v.charAt(6) != '\t') {
      return null;
    }
    return v.substring(7).trim();
  }

  private static final String AMBIGUOUS_MARK = new String("ambiguous");

  private static String cookieValue(List<String> cookieHeaders, String name) {
    String found = null;
    for (String header : cookieHeaders) {
      int i = 0;
      int n = header.length();
      while (i < n) {
        int end = header.indexOf(';', i);
        if (end < 0) {
          end = n;
        }
        int eq = header.indexOf('=', i);
        if (eq > 0 && eq < end && header.substring(i, eq).trim().equals(name)) {
          if (found != null) {
            return AMBIGUOUS_MARK;
          }
          String value = header.substring(eq + 1, end).trim();
          if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            value = value.substring(1, value.length() - 1);
          }
          found = value;
        }
        i = end + 1;
      }
    }
    return found;
  }

  private static int queryCount(String query, String name) {
    if (query == null || (query.indexOf(name) < 0 && query.indexOf('%') < 0)) {
      return 0;
    }
    int count = 0;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(key).equals(name)) {
        count++;
      }
    }
    return count;
  }

  private static String queryValue(String query, String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(key).equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  private static String decode(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      return text;
    }
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }
}
