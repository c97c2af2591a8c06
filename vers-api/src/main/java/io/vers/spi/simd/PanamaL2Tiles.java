package io.vers.spi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link L2Tiles} on the incubating Vector API. Every pair has its own accumulator: per chunk of
 * {@code LANES} components, {@code acc = fma(a - b, a - b, acc)}; then the lanes are added in a fixed
 * tree, then the remaining components one by one. The tile shape changes how many loads a pair shares,
 * never its arithmetic. Only loaded by {@link Kernels} when the Vector API is in use.
 */
final class PanamaL2Tiles extends L2Tiles {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();

  @Override
  public int scratchSize() {
    return 4 * LANES;
  }

  @Override
  public void tile4x1(float[] a0, int o0, float[] a1, int o1, float[] a2, int o2, float[] a3, int o3,
      float[] b, int bOff, int dim, float[] out, int outOff, float[] scratch) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0, s2 = s0, s3 = s0;
    int i = 0;
    for (int bound = dim - LANES; i <= bound; i += LANES) {
      FloatVector y = FloatVector.fromArray(SPECIES, b, bOff + i);
      FloatVector d0 = FloatVector.fromArray(SPECIES, a0, o0 + i).sub(y);
      FloatVector d1 = FloatVector.fromArray(SPECIES, a1, o1 + i).sub(y);
      FloatVector d2 = FloatVector.fromArray(SPECIES, a2, o2 + i).sub(y);
      FloatVector d3 = FloatVector.fromArray(SPECIES, a3, o3 + i).sub(y);
      s0 = d0.fma(d0, s0);
      s1 = d1.fma(d1, s1);
      s2 = d2.fma(d2, s2);
      s3 = d3.fma(d3, s3);
    }
    s0.intoArray(scratch, 0);
    s1.intoArray(scratch, LANES);
    s2.intoArray(scratch, 2 * LANES);
    s3.intoArray(scratch, 3 * LANES);
    finish(a0, o0, b, bOff, dim, i, scratch, 0, out, outOff);
    finish(a1, o1, b, bOff, dim, i, scratch, 1, out, outOff + 1);
    finish(a2, o2, b, bOff, dim, i, scratch, 2, out, outOff + 2);
    finish(a3, o3, b, bOff, dim, i, scratch, 3, out, outOff + 3);
  }

  @Override
  public void tile1x4(float[] a, int aOff, float[] b, int bOff, int dim, float[] out, int outOff, float[] scratch) {
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0, s2 = s0, s3 = s0;
    int b1 = bOff + dim;
    int b2 = b1 + dim;
    int b3 = b2 + dim;
    int i = 0;
    for (int bound = dim - LANES; i <= bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(SPECIES, a, aOff + i);
      FloatVector d0 = x.sub(FloatVector.fromArray(SPECIES, b, bOff + i));
      FloatVector d1 = x.sub(FloatVector.fromArray(SPECIES, b, b1 + i));
      FloatVector d2 = x.sub(FloatVector.fromArray(SPECIES, b, b2 + i));
      FloatVector d3 = x.sub(FloatVector.fromArray(SPECIES, b, b3 + i));
      s0 = d0.fma(d0, s0);
      s1 = d1.fma(d1, s1);
      s2 = d2.fma(d2, s2);
      s3 = d3.fma(d3, s3);
    }
    s0.intoArray(scratch, 0);
    s1.intoArray(scratch, LANES);
    s2.intoArray(scratch, 2 * LANES);
    s3.intoArray(scratch, 3 * LANES);
    finish(a, aOff, b, bOff, dim, i, scratch, 0, out, outOff);
    finish(a, aOff, b, b1, dim, i, scratch, 1, out, outOff + 1);
    finish(a, aOff, b, b2, dim, i, scratch, 2, out, outOff + 2);
    finish(a, aOff, b, b3, dim, i, scratch, 3, out, outOff + 3);
  }

  /** Adds accumulator {@code acc}'s lanes in a fixed tree, then the components from {@code tail} on, one by one. */
  private static void finish(float[] a, int aOff, float[] b, int bOff, int dim, int tail, float[] scratch, int acc,
      float[] out, int outIndex) {
    float sum = laneSum(scratch, acc * LANES);
    for (int i = tail; i < dim; i++) {
      float d = a[aOff + i] - b[bOff + i];
      sum += d * d;
    }
    out[outIndex] = sum;
  }

  /** The {@code LANES} floats from {@code f}, added as a balanced tree of neighbours. */
  private static float laneSum(float[] s, int f) {
    switch (LANES) {
      case 4:
        return (s[f] + s[f + 1]) + (s[f + 2] + s[f + 3]);
      case 8:
        return ((s[f] + s[f + 1]) + (s[f + 2] + s[f + 3])) + ((s[f + 4] + s[f + 5]) + (s[f + 6] + s[f + 7]));
      case 16:
        return (((s[f] + s[f + 1]) + (s[f + 2] + s[f + 3])) + ((s[f + 4] + s[f + 5]) + (s[f + 6] + s[f + 7])))
            + (((s[f + 8] + s[f + 9]) + (s[f + 10] + s[f + 11])) + ((s[f + 12] + s[f + 13]) + (s[f + 14] + s[f + 15])));
      default:
        float sum = 0;
        for (int lane = 0; lane < LANES; lane++) {
          sum += s[f + lane];
        }
        return sum;
    }
  }
}
