package io.edgeway.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component whose key must be present in the YAML. The {@link Binder} reports
 * {@code missing required key 'name'} at the enclosing mapping instead of passing {@code null} to the
 * compact constructor. Primitive components are always required.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {}
