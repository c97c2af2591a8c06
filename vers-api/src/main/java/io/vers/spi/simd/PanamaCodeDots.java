package io.vers.spi.simd;

import io.vers.spi.storage.CodeStore;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link CodeDots} on the incubating Vector API: eight records per loop (a group of two to seven repeats
 * its last record, whose loads then hit the cache), each record's codes widened to floats a vector at a
 * time into one accumulator per record, whose lanes a batch sums together ({@link LaneSums}) in the order
 * one record's are summed alone, then a scalar tail. Only loaded when the {@code jdk.incubator.vector}
 * module is present.
 */
final class PanamaCodeDots extends CodeDots {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * LANES));

  private final int dimension;

  PanamaCodeDots(CodeStore codes) {
    super(codes);
    this.dimension = codes.dimension();
  }

  @Override
  public void dots(float[] q, int qOffset, int[] ords, int from, int count, float[] out) {
    for (int i = 0; i < count; ) {
      int n = Math.min(WIDTH, count - i);
      if (n == 1) {
        out[i] = dot(q, qOffset, ords[from + i]);
      } else {
        dots8(q, qOffset, ords, from + i, n, out, i);
      }
      i += n;
    }
  }

  @Override
  public float dot(float[] q, int qOffset, int ord) {
    byte[] p = codes.page(ord);
    int o = codes.offset(ord);
    FloatVector a = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dimension); i < bound; i += LANES) {
      a = FloatVector.fromArray(SPECIES, q, qOffset + i).fma(widen(p, o + i), a);
    }
    float s = PanamaVectorKernel.sumLanes(a);
    for (; i < dimension; i++) {
      s += q[qOffset + i] * p[o + i];
    }
    return s;
  }

  private static FloatVector widen(byte[] codes, int offset) {
    return (FloatVector) ByteVector.fromArray(BYTES, codes, offset).convertShape(VectorOperators.B2F, SPECIES, 0);
  }

  /** Dots with 8 records; with {@code count < 8} the last one stands in for the missing ones. */
  private void dots8(float[] q, int qo, int[] ords, int from, int count, float[] out, int at) {
    int last = from + count - 1;
    int n0 = ords[from];
    int n1 = ords[Math.min(from + 1, last)];
    int n2 = ords[Math.min(from + 2, last)];
    int n3 = ords[Math.min(from + 3, last)];
    int n4 = ords[Math.min(from + 4, last)];
    int n5 = ords[Math.min(from + 5, last)];
    int n6 = ords[Math.min(from + 6, last)];
    int n7 = ords[Math.min(from + 7, last)];
    byte[] p0 = codes.page(n0);
    byte[] p1 = codes.page(n1);
    byte[] p2 = codes.page(n2);
    byte[] p3 = codes.page(n3);
    byte[] p4 = codes.page(n4);
    byte[] p5 = codes.page(n5);
    byte[] p6 = codes.page(n6);
    byte[] p7 = codes.page(n7);
    int o0 = codes.offset(n0);
    int o1 = codes.offset(n1);
    int o2 = codes.offset(n2);
    int o3 = codes.offset(n3);
    int o4 = codes.offset(n4);
    int o5 = codes.offset(n5);
    int o6 = codes.offset(n6);
    int o7 = codes.offset(n7);
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES);
    FloatVector a3 = FloatVector.zero(SPECIES);
    FloatVector a4 = FloatVector.zero(SPECIES);
    FloatVector a5 = FloatVector.zero(SPECIES);
    FloatVector a6 = FloatVector.zero(SPECIES);
    FloatVector a7 = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dimension); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(SPECIES, q, qo + i);
      a0 = x.fma(widen(p0, o0 + i), a0);
      a1 = x.fma(widen(p1, o1 + i), a1);
      a2 = x.fma(widen(p2, o2 + i), a2);
      a3 = x.fma(widen(p3, o3 + i), a3);
      a4 = x.fma(widen(p4, o4 + i), a4);
      a5 = x.fma(widen(p5, o5 + i), a5);
      a6 = x.fma(widen(p6, o6 + i), a6);
      a7 = x.fma(widen(p7, o7 + i), a7);
    }
    float s0;
    float s1;
    float s2;
    float s3;
    float s4;
    float s5;
    float s6;
    float s7;
    if (LaneSums.JOINT) {
      FloatVector b01 = a0.add(a0.rearrange(LaneSums.UP0)).blend(a1.add(a1.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b23 = a2.add(a2.rearrange(LaneSums.UP0)).blend(a3.add(a3.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b45 = a4.add(a4.rearrange(LaneSums.UP0)).blend(a5.add(a5.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b67 = a6.add(a6.rearrange(LaneSums.UP0)).blend(a7.add(a7.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector c0 = b01.add(b01.rearrange(LaneSums.UP1)).blend(b23.add(b23.rearrange(LaneSums.DOWN1)), LaneSums.SET1);
      FloatVector c1 = b45.add(b45.rearrange(LaneSums.UP1)).blend(b67.add(b67.rearrange(LaneSums.DOWN1)), LaneSums.SET1);
      FloatVector z = c0.add(c0.rearrange(LaneSums.UP2)).blend(c1.add(c1.rearrange(LaneSums.DOWN2)), LaneSums.SET2);
      z = LaneSums.SIXTEEN ? z.add(z.rearrange(LaneSums.UP3)) : z;
      if (count == 8 && i == dimension) { // no tail: the eight sums leave in one store
        z.rearrange(LaneSums.PACK).reinterpretShape(LaneSums.EIGHT, 0).reinterpretAsFloats().intoArray(out, at);
        return;
      }
      s0 = z.lane(LaneSums.E0);
      s1 = z.lane(LaneSums.E1);
      s2 = z.lane(LaneSums.E2);
      s3 = z.lane(LaneSums.E3);
      s4 = z.lane(LaneSums.E4);
      s5 = z.lane(LaneSums.E5);
      s6 = z.lane(LaneSums.E6);
      s7 = z.lane(LaneSums.E7);
    } else {
      s0 = PanamaVectorKernel.sumLanes(a0);
      s1 = PanamaVectorKernel.sumLanes(a1);
      s2 = PanamaVectorKernel.sumLanes(a2);
      s3 = PanamaVectorKernel.sumLanes(a3);
      s4 = PanamaVectorKernel.sumLanes(a4);
      s5 = PanamaVectorKernel.sumLanes(a5);
      s6 = PanamaVectorKernel.sumLanes(a6);
      s7 = PanamaVectorKernel.sumLanes(a7);
    }
    for (; i < dimension; i++) {
      float y = q[qo + i];
      s0 += y * p0[o0 + i];
      s1 += y * p1[o1 + i];
      s2 += y * p2[o2 + i];
      s3 += y * p3[o3 + i];
      s4 += y * p4[o4 + i];
      s5 += y * p5[o5 + i];
      s6 += y * p6[o6 + i];
      s7 += y * p7[o7 + i];
    }
    out[at] = s0;
    if (count > 1) {
      out[at + 1] = s1;
    }
    if (count > 2) {
      out[at + 2] = s2;
    }
    if (count > 3) {
      out[at + 3] = s3;
    }
    if (count > 4) {
      out[at + 4] = s4;
    }
    if (count > 5) {
      out[at + 5] = s5;
    }
    if (count > 6) {
      out[at + 6] = s6;
    }
    if (count > 7) {
      out[at + 7] = s7;
    }
  }
}
