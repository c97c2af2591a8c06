package io.vers.spi.simd;

/**
 * Portable kernel: plain Java loops, four independent accumulators so the JIT can overlap the
 * multiplications. Used where the incubating Vector API is not available.
 */
final class ScalarVectorKernel implements VectorKernel {
  static final ScalarVectorKernel INSTANCE = new ScalarVectorKernel();

  private ScalarVectorKernel() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 3 < length; i += 4) {
      s0 += a[aOffset + i] * b[bOffset + i];
      s1 += a[aOffset + i + 1] * b[bOffset + i + 1];
      s2 += a[aOffset + i + 2] * b[bOffset + i + 2];
      s3 += a[aOffset + i + 3] * b[bOffset + i + 3];
    }
    for (; i < length; i++) {
      s0 += a[aOffset + i] * b[bOffset + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public float squaredL2(float[] a, int aOffset, float[] b, int bOffset, int length) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 3 < length; i += 4) {
      float d0 = a[aOffset + i] - b[bOffset + i];
      float d1 = a[aOffset + i + 1] - b[bOffset + i + 1];
      float d2 = a[aOffset + i + 2] - b[bOffset + i + 2];
      float d3 = a[aOffset + i + 3] - b[bOffset + i + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; i < length; i++) {
      float d = a[aOffset + i] - b[bOffset + i];
      s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public float cosine(float[] a, int aOffset, float[] b, int bOffset, int length) {
    float ab = 0, aa = 0, bb = 0;
    for (int i = 0; i < length; i++) {
      float x = a[aOffset + i];
      float y = b[bOffset + i];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return Kernels.cosineFromSums(ab, aa, bb);
  }

  @Override
  public float dotCodes(float[] q, int qOffset, byte[] codes, int codeOffset, int length) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 3 < length; i += 4) {
      s0 += q[qOffset + i] * codes[codeOffset + i];
      s1 += q[qOffset + i + 1] * codes[codeOffset + i + 1];
      s2 += q[qOffset + i + 2] * codes[codeOffset + i + 2];
      s3 += q[qOffset + i + 3] * codes[codeOffset + i + 3];
    }
    for (; i < length; i++) {
      s0 += q[qOffset + i] * codes[codeOffset + i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
