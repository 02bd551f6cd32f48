package io.edgeway.cache;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The storing rules of one route's cache (RFC 9111 section 3, as a shared cache): which responses
 * may be stored, for how long they are fresh, and which request headers they vary on. Immutable,
 * shared by all event loops.
 */
final class CachePolicy {
  private final Set<Integer> statuses;
  private final boolean storeSetCookie;
  private final long defaultTtlMillis;
  private final long staleIfErrorMillis;
  private final long staleWhileRevalidateMillis;

  CachePolicy(CacheConfig config) {
    this.statuses = config.statusSet();
    this.storeSetCookie = config.storeSetCookie();
    this.defaultTtlMillis = config.ttl().toMillis();
    this.staleIfErrorMillis = config.staleIfError().toMillis();
    this.staleWhileRevalidateMillis = config.staleWhileRevalidate().toMillis();
  }

  /** Why a response is not stored (for logs and tests), or null when it may be stored. */
  String refusal(int status, MultiMap headers, CacheControl cc) {
    if (!statuses.contains(status)) {
      return "status";
    }
    if (cc.noStore()) {
      return "no-store";
    }
    if (cc.isPrivate()) {
      return "private";
    }
    if (!storeSetCookie && headers.contains("Set-Cookie")) {
      return "set-cookie";
    }
    List<String> vary = varyNames(headers);
    if (vary != null && vary.contains("*")) {
      return "vary-star";
    }
    return null;
  }

  /**
   * The freshness of a response received at {@code responseMillis}, or null when it is not worth
   * storing (stale at once with no validator and no stale window).
   */
  Freshness freshness(MultiMap headers, CacheControl cc, long responseMillis) {
    long date = HttpDates.parse(headers.get("Date"));
    long lifetime;
    if (cc.noCache()) {
      lifetime = 0;
    } else if (cc.sMaxAge() >= 0) {
      lifetime = cc.sMaxAge() * 1000;
    } else if (cc.maxAge() >= 0) {
      lifetime = cc.maxAge() * 1000;
    } else if (headers.contains("Expires")) {
      long expires = HttpDates.parse(headers.get("Expires"));
      long base = date == HttpDates.INVALID ? responseMillis : date;
      lifetime = expires == HttpDates.INVALID ? 0 : Math.max(0, expires - base);
    } else {
      lifetime = defaultTtlMillis;
    }
    long ageValue = ageSeconds(headers.get("Age")) * 1000;
    long apparentAge = date == HttpDates.INVALID ? 0 : Math.max(0, responseMillis - date);
    long initialAge = Math.max(apparentAge, ageValue);
    boolean noStale = cc.mustRevalidate() || cc.noCache();
    long swr = noStale ? 0 : cc.staleWhileRevalidate() >= 0 ? cc.staleWhileRevalidate() * 1000 : staleWhileRevalidateMillis;
    long sie = noStale ? 0 : cc.staleIfError() >= 0 ? cc.staleIfError() * 1000 : staleIfErrorMillis;
    boolean validators = headers.contains("ETag") || headers.contains("Last-Modified");
    // Entries with validators are kept one default TTL past their stale windows so they can be
    // revalidated with a cheap conditional request instead of a full one.
    long retain = Math.max(Math.max(swr, sie), validators ? Math.max(defaultTtlMillis, 1000) : 0);
    if (lifetime - initialAge <= 0 && retain <= 0) {
      return null;
    }
    return new Freshness(lifetime, initialAge, swr, sie, retain);
  }

  /** The lower-case header names of {@code Vary}, sorted and de-duplicated; null without Vary. */
  static List<String> varyNames(MultiMap headers) {
    List<String> values = headers.getAll("Vary");
    if (values.isEmpty()) {
      return null;
    }
    TreeSet<String> names = new TreeSet<>();
    for (String value : values) {
      for (String name : value.split(",")) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (!n.isEmpty()) {
          names.add(n);
        }
      }
    }
    return names.isEmpty() ? null : new ArrayList<>(names);
  }

  private static long ageSeconds(String value) {
    if (value == null) {
      return 0;
    }
    String v = value.trim();
    if (v.isEmpty() || v.length() > 10) {
      return v.isEmpty() ? 0 : Integer.MAX_VALUE;
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return 0;
      }
    }
    return Long.parseLong(v);
  }
}
