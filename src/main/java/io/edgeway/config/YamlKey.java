package io.edgeway.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The YAML key of a record component whose name does not kebab-case to it, such as
 * {@code sample-2xx} for {@code sample2xx} (the {@link Binder} puts dashes before capitals only,
 * so {@code http2} stays {@code http2}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface YamlKey {
  String value();
}
