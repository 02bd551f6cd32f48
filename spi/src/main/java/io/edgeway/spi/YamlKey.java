package io.edgeway.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The YAML key of a configuration record component whose name does not kebab-case to it. The
 * gateway puts a dash before each capital letter only, so {@code maxEntrySize} reads
 * {@code max-entry-size} and {@code http2} stays {@code http2}; a key such as {@code sample-2xx}
 * needs {@code @YamlKey("sample-2xx") Double sample2xx}. The rules as a whole are on
 * {@link GatewayFilterFactory}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface YamlKey {

  /**
   * The key as the operator writes it.
   *
   * @return the YAML key, e.g. {@code sample-2xx}
   */
  String value();
}
