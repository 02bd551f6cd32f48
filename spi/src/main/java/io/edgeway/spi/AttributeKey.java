package io.edgeway.spi;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed key for per-request state kept in an {@link Exchange}. Create keys once, as
 * {@code static final} constants; two keys with the same name are still different keys.
 *
 * @param <T> the type of the value stored under this key
 */
public final class AttributeKey<T> {
  private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

  private final String name;
  private final Class<T> type;
  private final int index;

  private AttributeKey(String name, Class<T> type) {
    this.name = requireNonNull(name, "name");
    this.type = requireNonNull(type, "type");
    this.index = NEXT_INDEX.getAndIncrement();
  }

  /**
   * Creates a new key.
   *
   * @param name a descriptive name, for debugging only
   * @param type the value type
   */
  public static <T> AttributeKey<T> of(String name, Class<T> type) {
    return new AttributeKey<>(name, type);
  }

  /** The descriptive name. */
  public String name() {
    return name;
  }

  /** The value type. */
  public Class<T> type() {
    return type;
  }

  /** A dense index, so an exchange can keep attributes in an array instead of a map. */
  public int index() {
    return index;
  }

  @Override
  public String toString() {
    return "AttributeKey[" + name + "]";
  }
}
