/**
 * Distance kernels for index implementations, chosen once per JVM by {@link io.vers.spi.simd.Kernels}:
 * the Vector API ({@code jdk.incubator.vector}) implementation when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}, otherwise the scalar one. Every Vector API kernel has a
 * scalar twin; {@code -Dvers.kernel=scalar} forces the scalar ones. This is the only package of vers
 * that uses the Vector API.
 *
 * <p><b>No compatibility promise</b>: part of the implementor kit (see {@code io.vers.spi}).
 */
package io.vers.spi.simd;
