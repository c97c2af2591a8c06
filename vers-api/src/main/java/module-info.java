/**
 * vers: the application API ({@code io.vers.api}), the exact index ({@code io.vers.flat}) and the
 * implementor kit ({@code io.vers.spi} and its subpackages, no compatibility promise to applications).
 * The Vector API kernels are used when the JVM runs with {@code --add-modules jdk.incubator.vector}.
 */
module io.vers.api {
  requires static jdk.incubator.vector;
  requires static com.google.auto.service;
  requires com.google.common;
  requires com.carrotsearch.hppc;

  exports io.vers.api;
  exports io.vers.flat;
  exports io.vers.spi;
  exports io.vers.spi.simd;
  exports io.vers.spi.storage;

  uses io.vers.api.IndexProvider;

  provides io.vers.api.IndexProvider with io.vers.flat.FlatIndexProvider;
}
