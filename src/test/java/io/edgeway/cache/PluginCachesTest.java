package io.edgeway.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.edgeway.spi.SharedCache;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The plugins' shared cache: namespaces, time to live on a ticker the test moves, the byte bound. */
class PluginCachesTest {
  private final AtomicLong nanos = new AtomicLong(1);
  private final Ticker ticker = nanos::get;

  @Test
  void entriesAreNamespacedByFilterNameAndSharedAcrossRoutes() {
    PluginCaches caches = new PluginCaches(1 << 20, ticker);
    SharedCache tokens = caches.forFilter("token-introspection");
    tokens.put("abc", Buffer.buffer("{\"active\":true}"), Duration.ofMinutes(1));
    assertThat(tokens.get("abc").toString()).isEqualTo("{\"active\":true}");
    assertThat(caches.forFilter("token-introspection").get("abc")).as("same filter, another route").isNotNull();
    assertThat(caches.forFilter("geo-ip").get("abc")).as("another filter").isNull();
    tokens.invalidate("abc");
    assertThat(tokens.get("abc")).isNull();
  }

  @Test
  void eachEntryExpiresAfterItsOwnTimeToLive() {
    PluginCaches caches = new PluginCaches(1 << 20, ticker);
    SharedCache cache = caches.forFilter("p");
    cache.put("short", Buffer.buffer("s"), Duration.ofSeconds(1));
    cache.put("long", Buffer.buffer("l"), Duration.ofMinutes(1));
    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    assertThat(cache.get("short")).isNotNull();
    assertThat(cache.get("short")).as("a read does not extend the time to live").isNotNull();
    nanos.addAndGet(Duration.ofMillis(2).toNanos());
    assertThat(cache.get("short")).isNull();
    assertThat(cache.get("long")).isNotNull();
    cache.put("long", Buffer.buffer("l2"), Duration.ofSeconds(1));
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(cache.get("long")).as("a put replaces the time to live").isNull();
  }

  @Test
  void valuesAreCopiedInAndOut() {
    SharedCache cache = new PluginCaches(1 << 20, ticker).forFilter("p");
    Buffer value = Buffer.buffer("abc");
    cache.put("k", value, Duration.ofMinutes(1));
    value.setByte(0, (byte) 'X');
    Buffer read = cache.get("k");
    read.setByte(1, (byte) 'Y');
    assertThat(cache.get("k").toString()).isEqualTo("abc");
  }

  @Test
  void theBoundIsInBytesAndAValueLargerThanTheBoundIsNotStored() {
    PluginCaches caches = new PluginCaches(64 * 1024, ticker);
    SharedCache cache = caches.forFilter("p");
    for (int i = 0; i < 100; i++) {
      cache.put("k" + i, Buffer.buffer(new byte[4096]), Duration.ofMinutes(1));
    }
    assertThat(caches.weightedSize()).isLessThanOrEqualTo(64 * 1024);
    assertThat(caches.entries()).isBetween(1L, 15L);

    cache.put("small", Buffer.buffer("s"), Duration.ofMinutes(1));
    cache.put("small", Buffer.buffer(new byte[65 * 1024]), Duration.ofMinutes(1));
    assertThat(cache.get("small")).as("too large: not stored, and the older value is gone").isNull();

    caches.resize(8 * 1024);
    assertThat(caches.weightedSize()).isLessThanOrEqualTo(8 * 1024);
  }

  @Test
  void argumentsAreChecked() {
    SharedCache cache = new PluginCaches(1 << 20, ticker).forFilter("p");
    assertThatThrownBy(() -> cache.put("k", Buffer.buffer("v"), Duration.ZERO))
        .hasMessage("ttl: PT0S (expected: at least 1ms)");
    assertThatThrownBy(() -> cache.put("k", null, Duration.ofSeconds(1))).hasMessage("value");
    assertThatThrownBy(() -> cache.get(null)).hasMessage("key");
  }
}
