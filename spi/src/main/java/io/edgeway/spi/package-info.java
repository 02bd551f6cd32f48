/**
 * The Edgeway filter SPI: the only package a plugin may import. Implement
 * {@link io.edgeway.spi.GatewayFilterFactory}, register it in
 * {@code META-INF/services/io.edgeway.spi.GatewayFilterFactory}, and drop the jar into
 * {@code plugins/}. See {@code docs/plugins.md}.
 */
package io.edgeway.spi;
