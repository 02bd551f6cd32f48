package io.edgeway.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeway.config.ConfigLocations;
import io.edgeway.config.ConfigNode;
import io.edgeway.config.ConfigPosition;
import io.edgeway.config.LoadedConfig;
import io.edgeway.testing.TestGateway;
import io.edgeway.testing.TestUpstream;
import io.edgeway.testing.TestVertx;
import io.vertx.core.Vertx;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running gateway keeps its configuration as bound records only: the YAML tree, its nodes (and
 * the marks that pin the document's text) and the position of every key serve validation and are
 * let go once the configuration runs, at start-up and after a reload. With 10,000 routes they were
 * half of the live heap.
 */
class RunningConfigRetentionTest {

  @TempDir Path dir;

  private static String config(String upstream, String header) {
    return """
        server: { host: 127.0.0.1, port: 0, instances: 1, drain-delay: 0s, reload: { watch: false } }
        admin: { host: 127.0.0.1, port: 0 }
        routes:
          - id: a
            match: { path: /a/**, headers: { X-Env: canary } }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - request-headers: { set: { X-From: "%s" } }
              - response-headers:
                  add: { X-Served-By: edgeway }
          - id: b
            match: { path: "/b/{id}", methods: [GET] }
            upstream: { targets: [ { url: "%s" } ] }
            filters:
              - response-headers:
        """.formatted(upstream, header, upstream);
  }

  @Test
  void neitherTheRoutesNorTheReloaderHoldTheYamlOrItsPositions() throws Exception {
    Vertx vertx = TestVertx.create();
    TestUpstream upstream = TestUpstream.start(vertx);
    Path file = dir.resolve("edgeway.yaml");
    Files.writeString(file, config(upstream.url(), "one"));
    try (TestGateway gateway = TestGateway.startFromFile(vertx, file, List.of())) {
      assertThat(validationOnlyObjectsReachableFrom(gateway.gateway())).as("after start-up").isEmpty();

      Files.writeString(file, config(upstream.url(), "two"));
      ConfigReloader.Result result = gateway.gateway().reloader().reload("test").await(30, TimeUnit.SECONDS);
      assertThat(result.routes().changed()).containsExactly("a");
      assertThat(result.routes().kept()).containsExactly("b");
      assertThat(validationOnlyObjectsReachableFrom(gateway.gateway())).as("after a reload").isEmpty();
    } finally {
      upstream.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theWalkFindsYamlHeldByAGatewayObject() throws Exception {
    // The assertion above is only as good as the walk: it must see through records, lists, maps,
    // optionals and atomic references to a node the loader made.
    LoadedConfig loaded = io.edgeway.config.ConfigLoader.load("t.yaml", "routes: []", name -> null);
    record Holder(List<Map<String, Optional<AtomicReference<Object>>>> held) {}
    Holder holder = new Holder(List.of(Map.of("k", Optional.of(new AtomicReference<>(loaded.tree())))));
    assertThat(validationOnlyObjectsReachableFrom(holder)).isNotEmpty()
        .allSatisfy(path -> assertThat(path).startsWith("Holder.held[0][k].get().get()"));
  }

  /**
   * The paths (from {@code root}) to objects that only validation needs, following the fields of
   * Edgeway's own objects and the contents of arrays, collections, maps, optionals and atomic
   * references; other libraries' objects (Vert.x, Netty, Micrometer) are not entered.
   */
  private static List<String> validationOnlyObjectsReachableFrom(Object root) {
    List<String> found = new ArrayList<>();
    Map<Object, Boolean> seen = new IdentityHashMap<>();
    Deque<Object[]> queue = new ArrayDeque<>();
    queue.add(new Object[] {root, root.getClass().getSimpleName()});
    while (!queue.isEmpty()) {
      Object[] next = queue.poll();
      Object object = next[0];
      String path = (String) next[1];
      if (object == null || seen.put(object, Boolean.TRUE) != null) {
        continue;
      }
      Class<?> type = object.getClass();
      if (isValidationOnly(type)) {
        found.add(path + " (" + type.getName() + ")");
        continue;
      }
      if (type.isArray()) {
        if (!type.getComponentType().isPrimitive()) {
          for (int i = 0; i < Array.getLength(object); i++) {
            queue.add(new Object[] {Array.get(object, i), path + "[" + i + "]"});
          }
        }
      } else if (object instanceof Map<?, ?> map) {
        for (Object entry : map.entrySet().toArray()) {
          Map.Entry<?, ?> e = (Map.Entry<?, ?>) entry;
          queue.add(new Object[] {e.getKey(), path + ".key"});
          queue.add(new Object[] {e.getValue(), path + "[" + e.getKey() + "]"});
        }
      } else if (object instanceof Collection<?> collection) {
        Object[] items = collection.toArray();
        for (int i = 0; i < items.length; i++) {
          queue.add(new Object[] {items[i], path + "[" + i + "]"});
        }
      } else if (object instanceof Optional<?> optional) {
        queue.add(new Object[] {optional.orElse(null), path + ".get()"});
      } else if (object instanceof AtomicReference<?> reference) {
        queue.add(new Object[] {reference.get(), path + ".get()"});
      } else if (type.getName().startsWith("io.edgeway.")) {
        for (Class<?> c = type; c != null && c.getName().startsWith("io.edgeway."); c = c.getSuperclass()) {
          for (Field field : c.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive() && field.trySetAccessible()) {
              queue.add(new Object[] {read(field, object), path + "." + field.getName()});
            }
          }
        }
      }
    }
    return found;
  }

  private static boolean isValidationOnly(Class<?> type) {
    return type.getName().startsWith("org.snakeyaml.") || type == ConfigNode.class || type == ConfigPosition.class
        || type == ConfigLocations.class || type == LoadedConfig.class;
  }

  private static Object read(Field field, Object object) {
    try {
      return field.get(object);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
