package io.vers.spi.simd;

/**
 * Distance arithmetic over {@code float[]} ranges. Every method reads {@code length} components of
 * {@code a} starting at {@code aOffset} and of {@code b} starting at {@code bOffset}; offsets let one
 * flat array hold many vectors. Implementations are stateless and thread-safe; bounds are the caller's
 * responsibility (the Java bounds checks still apply).
 *
 * <p>Use {@link Kernels#vector()}; it is chosen once per JVM.
 */
public interface VectorKernel {
  /** A short name for logs and benchmarks, for example {@code "panama-256"} or {@code "scalar"}. */
  String name();

  /** {@code sum(a[i] * b[i])}. */
  float dot(float[] a, int aOffset, float[] b, int bOffset, int length);

  /** {@code sum((a[i] - b[i])^2)}. */
  float squaredL2(float[] a, int aOffset, float[] b, int bOffset, int length);

  /**
   * Cosine similarity {@code dot(a, b) / (|a| * |b|)}; 0 when either vector is all zeros. One pass over
   * both ranges.
   */
  float cosine(float[] a, int aOffset, float[] b, int bOffset, int length);

  /**
   * {@code sum(q[i] * codes[i])} with each code a signed byte: a float query against 8-bit codes, the
   * form asymmetric scalar quantization reduces every metric to (see
   * {@link io.vers.spi.storage.ScalarQuantizer}).
   */
  float dotCodes(float[] q, int qOffset, byte[] codes, int codeOffset, int length);
}
