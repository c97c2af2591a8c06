package io.vers.spi.simd;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernel on the incubating Vector API: the platform's preferred vector width, four accumulators in
 * the main loop, fused multiply-add, a scalar tail. Only loaded when {@code jdk.incubator.vector} is
 * in the boot layer; see {@link Kernels}.
 */
final class PanamaVectorKernel implements VectorKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  /** Bytes as many as the float lanes, widened to one float vector per load. */
  private static final VectorSpecies<Byte> CODES = ByteVector.SPECIES_128.length() == LANES
      ? ByteVector.SPECIES_128 : VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * LANES));

  static int lanes() {
    return LANES;
  }

  @Override
  public String name() {
    return "panama-" + SPECIES.vectorBitSize();
  }

  @Override
  public float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
    int i = 0;
    float sum = 0;
    if (length >= LANES) {
      FloatVector acc0 = FloatVector.zero(SPECIES);
      FloatVector acc1 = FloatVector.zero(SPECIES);
      FloatVector acc2 = FloatVector.zero(SPECIES);
      FloatVector acc3 = FloatVector.zero(SPECIES);
      for (int bound = length - 4 * LANES; i <= bound; i += 4 * LANES) {
        acc0 = load(a, aOffset + i).fma(load(b, bOffset + i), acc0);
        acc1 = load(a, aOffset + i + LANES).fma(load(b, bOffset + i + LANES), acc1);
        acc2 = load(a, aOffset + i + 2 * LANES).fma(load(b, bOffset + i + 2 * LANES), acc2);
        acc3 = load(a, aOffset + i + 3 * LANES).fma(load(b, bOffset + i + 3 * LANES), acc3);
      }
      for (int bound = length - LANES; i <= bound; i += LANES) {
        acc0 = load(a, aOffset + i).fma(load(b, bOffset + i), acc0);
      }
      sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
    }
    for (; i < length; i++) {
      sum += a[aOffset + i] * b[bOffset + i];
    }
    return sum;
  }

  @Override
  public float squaredL2(float[] a, int aOffset, float[] b, int bOffset, int length) {
    int i = 0;
    float sum = 0;
    if (length >= LANES) {
      FloatVector acc0 = FloatVector.zero(SPECIES);
      FloatVector acc1 = FloatVector.zero(SPECIES);
      FloatVector acc2 = FloatVector.zero(SPECIES);
      FloatVector acc3 = FloatVector.zero(SPECIES);
      for (int bound = length - 4 * LANES; i <= bound; i += 4 * LANES) {
        FloatVector d0 = load(a, aOffset + i).sub(load(b, bOffset + i));
        FloatVector d1 = load(a, aOffset + i + LANES).sub(load(b, bOffset + i + LANES));
        FloatVector d2 = load(a, aOffset + i + 2 * LANES).sub(load(b, bOffset + i + 2 * LANES));
        FloatVector d3 = load(a, aOffset + i + 3 * LANES).sub(load(b, bOffset + i + 3 * LANES));
        acc0 = d0.fma(d0, acc0);
        acc1 = d1.fma(d1, acc1);
        acc2 = d2.fma(d2, acc2);
        acc3 = d3.fma(d3, acc3);
      }
      for (int bound = length - LANES; i <= bound; i += LANES) {
        FloatVector d = load(a, aOffset + i).sub(load(b, bOffset + i));
        acc0 = d.fma(d, acc0);
      }
      sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
    }
    for (; i < length; i++) {
      float d = a[aOffset + i] - b[bOffset + i];
      sum += d * d;
    }
    return sum;
  }

  @Override
  public float cosine(float[] a, int aOffset, float[] b, int bOffset, int length) {
    int i = 0;
    float ab = 0, aa = 0, bb = 0;
    if (length >= LANES) {
      FloatVector vab = FloatVector.zero(SPECIES);
      FloatVector vaa = FloatVector.zero(SPECIES);
      FloatVector vbb = FloatVector.zero(SPECIES);
      for (int bound = length - LANES; i <= bound; i += LANES) {
        FloatVector x = load(a, aOffset + i);
        FloatVector y = load(b, bOffset + i);
        vab = x.fma(y, vab);
        vaa = x.fma(x, vaa);
        vbb = y.fma(y, vbb);
      }
      ab = sumLanes(vab);
      aa = sumLanes(vaa);
      bb = sumLanes(vbb);
    }
    for (; i < length; i++) {
      float x = a[aOffset + i];
      float y = b[bOffset + i];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    return Kernels.cosineFromSums(ab, aa, bb);
  }

  /** Lane {@code i} to lane {@code i + shift}, for the halving steps of {@link #sumLanes}; null if unused. */
  private static final VectorShuffle<Float> SHIFT_32 = rotation(32);
  private static final VectorShuffle<Float> SHIFT_16 = rotation(16);
  private static final VectorShuffle<Float> SHIFT_8 = rotation(8);
  private static final VectorShuffle<Float> SHIFT_4 = rotation(4);
  private static final VectorShuffle<Float> SHIFT_2 = rotation(2);
  private static final VectorShuffle<Float> SHIFT_1 = rotation(1);

  private static VectorShuffle<Float> rotation(int shift) {
    return shift < LANES ? VectorShuffle.fromOp(SPECIES, i -> (i + shift) % LANES) : null;
  }

  /**
   * Adds the lanes in a fixed order: halving steps, each adding the upper half of the lanes to the lower
   * half, lane by lane. {@code reduceLanes(ADD)} leaves the order unspecified, and its interpreted and
   * compiled forms differ in the last bit; a fixed order keeps every distance identical however often
   * it is computed, in a few vector steps rather than one lane at a time.
   */
  static float sumLanes(FloatVector v) {
    if (LANES > 32) {
      v = v.add(v.rearrange(SHIFT_32));
    }
    if (LANES > 16) {
      v = v.add(v.rearrange(SHIFT_16));
    }
    if (LANES > 8) {
      v = v.add(v.rearrange(SHIFT_8));
    }
    if (LANES > 4) {
      v = v.add(v.rearrange(SHIFT_4));
    }
    if (LANES > 2) {
      v = v.add(v.rearrange(SHIFT_2));
    }
    if (LANES > 1) {
      v = v.add(v.rearrange(SHIFT_1));
    }
    return v.lane(0);
  }

  private static FloatVector load(float[] array, int offset) {
    return FloatVector.fromArray(SPECIES, array, offset);
  }

  @Override
  public float dotCodes(float[] q, int qOffset, byte[] codes, int codeOffset, int length) {
    int i = 0;
    float sum = 0;
    if (length >= LANES) {
      FloatVector acc0 = FloatVector.zero(SPECIES);
      FloatVector acc1 = FloatVector.zero(SPECIES);
      for (int bound = length - 2 * LANES; i <= bound; i += 2 * LANES) {
        acc0 = load(q, qOffset + i).fma(widen(codes, codeOffset + i), acc0);
        acc1 = load(q, qOffset + i + LANES).fma(widen(codes, codeOffset + i + LANES), acc1);
      }
      for (int bound = length - LANES; i <= bound; i += LANES) {
        acc0 = load(q, qOffset + i).fma(widen(codes, codeOffset + i), acc0);
      }
      sum = sumLanes(acc0.add(acc1));
    }
    for (; i < length; i++) {
      sum += q[qOffset + i] * codes[codeOffset + i];
    }
    return sum;
  }

  private static FloatVector widen(byte[] codes, int offset) {
    return (FloatVector) ByteVector.fromArray(CODES, codes, offset).convertShape(VectorOperators.B2F, SPECIES, 0);
  }
}
