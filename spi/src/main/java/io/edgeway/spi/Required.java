package io.edgeway.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a configuration record whose key the operator must write. When the key is
 * absent the gateway reports {@code missing required key 'name'} at the enclosing mapping (with
 * file, line and column) instead of passing {@code null} to the compact constructor; an explicit
 * null ({@code name:} or {@code name: ~}) is reported at the value.
 *
 * <p>A primitive component ({@code int}, {@code long}, {@code double}, {@code boolean}) is always
 * required, with or without this annotation: it has no value that could mean "absent". To make a
 * key optional, declare the boxed type ({@code Integer}, {@code Long}, {@code Double},
 * {@code Boolean}) and apply the default in the compact constructor. The rules as a whole are on
 * {@link GatewayFilterFactory}.
 *
 * <pre>{@code
 * public record Config(@Required List<String> allow, Integer status) {
 *   public Config {
 *     status = status == null ? 403 : status;   // optional, defaulted here
 *   }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {}
