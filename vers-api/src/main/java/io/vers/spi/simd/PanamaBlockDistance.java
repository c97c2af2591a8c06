package io.vers.spi.simd;

import io.vers.api.Metric;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BlockDistance} on the incubating Vector API: three queries by four vectors per pass (twelve
 * vector accumulators, four vector loads and three query loads per chunk of the platform's preferred
 * width), one query by four vectors, or one by one; one accumulator per pair, then a scalar tail.
 * Three by four is the widest block whose accumulators, loads and differences all fit the 32 vector
 * registers of AVX-512, so the JIT keeps them there.
 *
 * <p>The lanes of each accumulator are added in the fixed halving order of
 * {@link PanamaVectorKernel#sumLanes} (lane {@code i} plus lane {@code i + half}, halving until one is
 * left), but in scalar code over a copy of the lanes: twelve vector reductions inlined into one kernel
 * exceed the JIT's inlining budget, and each one left out of line would box its accumulator.
 * {@code reduceLanes} is not used, as its order is unspecified. Only loaded when the
 * {@code jdk.incubator.vector} module is present.
 */
final class PanamaBlockDistance extends BlockDistance {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  /** The dimensions covered by whole chunks. */
  private final int bound;

  /** The lanes of up to twelve accumulators, copied out to be added. */
  private final float[] lanes = new float[QUERIES * VECTORS * LANES];

  PanamaBlockDistance(Metric metric, int dimension) {
    super(metric, dimension);
    this.bound = SPECIES.loopBound(dimension);
  }

  /**
   * The sum of {@code t[o .. o + LANES)} in halving order, as {@link PanamaVectorKernel#sumLanes} adds
   * a vector's lanes; destroys the range.
   */
  static float sumLanes(float[] t, int o) {
    if (LANES == 16) {
      float w0 = t[o] + t[o + 8];
      float w1 = t[o + 1] + t[o + 9];
      float w2 = t[o + 2] + t[o + 10];
      float w3 = t[o + 3] + t[o + 11];
      float w4 = t[o + 4] + t[o + 12];
      float w5 = t[o + 5] + t[o + 13];
      float w6 = t[o + 6] + t[o + 14];
      float w7 = t[o + 7] + t[o + 15];
      return ((w0 + w4) + (w2 + w6)) + ((w1 + w5) + (w3 + w7));
    }
    if (LANES == 8) {
      float w0 = t[o] + t[o + 4];
      float w1 = t[o + 1] + t[o + 5];
      float w2 = t[o + 2] + t[o + 6];
      float w3 = t[o + 3] + t[o + 7];
      return (w0 + w2) + (w1 + w3);
    }
    for (int half = LANES / 2; half >= 1; half /= 2) {
      for (int i = 0; i < half; i++) {
        t[o + i] += t[o + i + half];
      }
    }
    return t[o];
  }

  @Override
  public String name() {
    return "panama-" + SPECIES.vectorBitSize() + " " + QUERIES + "x" + VECTORS;
  }

  @Override
  float single(float[] q, int qo, float[] x, int xo) {
    FloatVector a = FloatVector.zero(SPECIES);
    int i = 0;
    if (l2) {
      for (; i < bound; i += LANES) {
        FloatVector d = FloatVector.fromArray(SPECIES, q, qo + i).sub(FloatVector.fromArray(SPECIES, x, xo + i));
        a = d.fma(d, a);
      }
    } else {
      for (; i < bound; i += LANES) {
        a = FloatVector.fromArray(SPECIES, q, qo + i).fma(FloatVector.fromArray(SPECIES, x, xo + i), a);
      }
    }
    a.intoArray(lanes, 0);
    float s = sumLanes(lanes, 0);
    if (l2) {
      for (; i < dimension; i++) {
        float e = q[qo + i] - x[xo + i];
        s += e * e;
      }
    } else {
      for (; i < dimension; i++) {
        s += q[qo + i] * x[xo + i];
      }
    }
    return finish(s);
  }

  @Override
  void block(float[] q, int qo, int rows, float[] x, int xo, int cols, float[] out, int oo, int stride) {
    if (l2) {
      l2Block(q, qo, rows, x, xo, cols, out, oo, stride);
    } else {
      dotBlock(q, qo, rows, x, xo, cols, out, oo, stride);
    }
  }

  @Override
  void one(float[] q, int qo, float[] x, int xo, int cols, float[] out, int oo) {
    if (l2) {
      l2One(q, qo, x, xo, cols, out, oo);
    } else {
      dotOne(q, qo, x, xo, cols, out, oo);
    }
  }

  /** Squared differences of 3 queries by 4 vectors; see {@link #block}. */
  private void l2Block(float[] q, int qo, int rows, float[] x, int xo, int cols, float[] out, int oo, int stride) {
    int d = dimension;
    int q0 = qo;
    int q1 = qo + Math.min(1, rows - 1) * d;
    int q2 = qo + Math.min(2, rows - 1) * d;
    int x0 = xo;
    int x1 = xo + Math.min(1, cols - 1) * d;
    int x2 = xo + Math.min(2, cols - 1) * d;
    int x3 = xo + Math.min(3, cols - 1) * d;
    FloatVector a00 = FloatVector.zero(SPECIES);
    FloatVector a01 = FloatVector.zero(SPECIES);
    FloatVector a02 = FloatVector.zero(SPECIES);
    FloatVector a03 = FloatVector.zero(SPECIES);
    FloatVector a10 = FloatVector.zero(SPECIES);
    FloatVector a11 = FloatVector.zero(SPECIES);
    FloatVector a12 = FloatVector.zero(SPECIES);
    FloatVector a13 = FloatVector.zero(SPECIES);
    FloatVector a20 = FloatVector.zero(SPECIES);
    FloatVector a21 = FloatVector.zero(SPECIES);
    FloatVector a22 = FloatVector.zero(SPECIES);
    FloatVector a23 = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector v0 = FloatVector.fromArray(SPECIES, x, x0 + i);
      FloatVector v1 = FloatVector.fromArray(SPECIES, x, x1 + i);
      FloatVector v2 = FloatVector.fromArray(SPECIES, x, x2 + i);
      FloatVector v3 = FloatVector.fromArray(SPECIES, x, x3 + i);
      FloatVector u0 = FloatVector.fromArray(SPECIES, q, q0 + i);
      FloatVector d00 = u0.sub(v0);
      a00 = d00.fma(d00, a00);
      FloatVector d01 = u0.sub(v1);
      a01 = d01.fma(d01, a01);
      FloatVector d02 = u0.sub(v2);
      a02 = d02.fma(d02, a02);
      FloatVector d03 = u0.sub(v3);
      a03 = d03.fma(d03, a03);
      FloatVector u1 = FloatVector.fromArray(SPECIES, q, q1 + i);
      FloatVector d10 = u1.sub(v0);
      a10 = d10.fma(d10, a10);
      FloatVector d11 = u1.sub(v1);
      a11 = d11.fma(d11, a11);
      FloatVector d12 = u1.sub(v2);
      a12 = d12.fma(d12, a12);
      FloatVector d13 = u1.sub(v3);
      a13 = d13.fma(d13, a13);
      FloatVector u2 = FloatVector.fromArray(SPECIES, q, q2 + i);
      FloatVector d20 = u2.sub(v0);
      a20 = d20.fma(d20, a20);
      FloatVector d21 = u2.sub(v1);
      a21 = d21.fma(d21, a21);
      FloatVector d22 = u2.sub(v2);
      a22 = d22.fma(d22, a22);
      FloatVector d23 = u2.sub(v3);
      a23 = d23.fma(d23, a23);
    }
    float[] t = lanes;
    a00.intoArray(t, 0);
    a01.intoArray(t, LANES);
    a02.intoArray(t, 2 * LANES);
    a03.intoArray(t, 3 * LANES);
    a10.intoArray(t, 4 * LANES);
    a11.intoArray(t, 5 * LANES);
    a12.intoArray(t, 6 * LANES);
    a13.intoArray(t, 7 * LANES);
    a20.intoArray(t, 8 * LANES);
    a21.intoArray(t, 9 * LANES);
    a22.intoArray(t, 10 * LANES);
    a23.intoArray(t, 11 * LANES);
    float s00 = sumLanes(t, 0);
    float s01 = sumLanes(t, LANES);
    float s02 = sumLanes(t, 2 * LANES);
    float s03 = sumLanes(t, 3 * LANES);
    float s10 = sumLanes(t, 4 * LANES);
    float s11 = sumLanes(t, 5 * LANES);
    float s12 = sumLanes(t, 6 * LANES);
    float s13 = sumLanes(t, 7 * LANES);
    float s20 = sumLanes(t, 8 * LANES);
    float s21 = sumLanes(t, 9 * LANES);
    float s22 = sumLanes(t, 10 * LANES);
    float s23 = sumLanes(t, 11 * LANES);
    for (; i < d; i++) {
      float y0 = x[x0 + i]; float y1 = x[x1 + i]; float y2 = x[x2 + i]; float y3 = x[x3 + i];
      float p0 = q[q0 + i];
      float e00 = p0 - y0; float e01 = p0 - y1; float e02 = p0 - y2; float e03 = p0 - y3;
      s00 += e00 * e00; s01 += e01 * e01; s02 += e02 * e02; s03 += e03 * e03;
      float p1 = q[q1 + i];
      float e10 = p1 - y0; float e11 = p1 - y1; float e12 = p1 - y2; float e13 = p1 - y3;
      s10 += e10 * e10; s11 += e11 * e11; s12 += e12 * e12; s13 += e13 * e13;
      float p2 = q[q2 + i];
      float e20 = p2 - y0; float e21 = p2 - y1; float e22 = p2 - y2; float e23 = p2 - y3;
      s20 += e20 * e20; s21 += e21 * e21; s22 += e22 * e22; s23 += e23 * e23;
    }
    store(s00, s01, s02, s03, out, oo, cols);
    if (rows > 1) {
      store(s10, s11, s12, s13, out, oo + stride, cols);
    }
    if (rows > 2) {
      store(s20, s21, s22, s23, out, oo + 2 * stride, cols);
    }
  }

  /** Products of 3 queries by 4 vectors; see {@link #block}. */
  private void dotBlock(float[] q, int qo, int rows, float[] x, int xo, int cols, float[] out, int oo, int stride) {
    int d = dimension;
    int q0 = qo;
    int q1 = qo + Math.min(1, rows - 1) * d;
    int q2 = qo + Math.min(2, rows - 1) * d;
    int x0 = xo;
    int x1 = xo + Math.min(1, cols - 1) * d;
    int x2 = xo + Math.min(2, cols - 1) * d;
    int x3 = xo + Math.min(3, cols - 1) * d;
    FloatVector a00 = FloatVector.zero(SPECIES);
    FloatVector a01 = FloatVector.zero(SPECIES);
    FloatVector a02 = FloatVector.zero(SPECIES);
    FloatVector a03 = FloatVector.zero(SPECIES);
    FloatVector a10 = FloatVector.zero(SPECIES);
    FloatVector a11 = FloatVector.zero(SPECIES);
    FloatVector a12 = FloatVector.zero(SPECIES);
    FloatVector a13 = FloatVector.zero(SPECIES);
    FloatVector a20 = FloatVector.zero(SPECIES);
    FloatVector a21 = FloatVector.zero(SPECIES);
    FloatVector a22 = FloatVector.zero(SPECIES);
    FloatVector a23 = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector v0 = FloatVector.fromArray(SPECIES, x, x0 + i);
      FloatVector v1 = FloatVector.fromArray(SPECIES, x, x1 + i);
      FloatVector v2 = FloatVector.fromArray(SPECIES, x, x2 + i);
      FloatVector v3 = FloatVector.fromArray(SPECIES, x, x3 + i);
      FloatVector u0 = FloatVector.fromArray(SPECIES, q, q0 + i);
      a00 = u0.fma(v0, a00);
      a01 = u0.fma(v1, a01);
      a02 = u0.fma(v2, a02);
      a03 = u0.fma(v3, a03);
      FloatVector u1 = FloatVector.fromArray(SPECIES, q, q1 + i);
      a10 = u1.fma(v0, a10);
      a11 = u1.fma(v1, a11);
      a12 = u1.fma(v2, a12);
      a13 = u1.fma(v3, a13);
      FloatVector u2 = FloatVector.fromArray(SPECIES, q, q2 + i);
      a20 = u2.fma(v0, a20);
      a21 = u2.fma(v1, a21);
      a22 = u2.fma(v2, a22);
      a23 = u2.fma(v3, a23);
    }
    float[] t = lanes;
    a00.intoArray(t, 0);
    a01.intoArray(t, LANES);
    a02.intoArray(t, 2 * LANES);
    a03.intoArray(t, 3 * LANES);
    a10.intoArray(t, 4 * LANES);
    a11.intoArray(t, 5 * LANES);
    a12.intoArray(t, 6 * LANES);
    a13.intoArray(t, 7 * LANES);
    a20.intoArray(t, 8 * LANES);
    a21.intoArray(t, 9 * LANES);
    a22.intoArray(t, 10 * LANES);
    a23.intoArray(t, 11 * LANES);
    float s00 = sumLanes(t, 0);
    float s01 = sumLanes(t, LANES);
    float s02 = sumLanes(t, 2 * LANES);
    float s03 = sumLanes(t, 3 * LANES);
    float s10 = sumLanes(t, 4 * LANES);
    float s11 = sumLanes(t, 5 * LANES);
    float s12 = sumLanes(t, 6 * LANES);
    float s13 = sumLanes(t, 7 * LANES);
    float s20 = sumLanes(t, 8 * LANES);
    float s21 = sumLanes(t, 9 * LANES);
    float s22 = sumLanes(t, 10 * LANES);
    float s23 = sumLanes(t, 11 * LANES);
    for (; i < d; i++) {
      float y0 = x[x0 + i]; float y1 = x[x1 + i]; float y2 = x[x2 + i]; float y3 = x[x3 + i];
      float p0 = q[q0 + i];
      s00 += p0 * y0; s01 += p0 * y1; s02 += p0 * y2; s03 += p0 * y3;
      float p1 = q[q1 + i];
      s10 += p1 * y0; s11 += p1 * y1; s12 += p1 * y2; s13 += p1 * y3;
      float p2 = q[q2 + i];
      s20 += p2 * y0; s21 += p2 * y1; s22 += p2 * y2; s23 += p2 * y3;
    }
    store(s00, s01, s02, s03, out, oo, cols);
    if (rows > 1) {
      store(s10, s11, s12, s13, out, oo + stride, cols);
    }
    if (rows > 2) {
      store(s20, s21, s22, s23, out, oo + 2 * stride, cols);
    }
  }

  /** Squared differences of one query by 4 vectors; see {@link #one}. */
  private void l2One(float[] q, int qo, float[] x, int xo, int cols, float[] out, int oo) {
    int d = dimension;
    int x0 = xo;
    int x1 = xo + Math.min(1, cols - 1) * d;
    int x2 = xo + Math.min(2, cols - 1) * d;
    int x3 = xo + Math.min(3, cols - 1) * d;
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES);
    FloatVector a3 = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector u = FloatVector.fromArray(SPECIES, q, qo + i);
      FloatVector d0 = u.sub(FloatVector.fromArray(SPECIES, x, x0 + i));
      a0 = d0.fma(d0, a0);
      FloatVector d1 = u.sub(FloatVector.fromArray(SPECIES, x, x1 + i));
      a1 = d1.fma(d1, a1);
      FloatVector d2 = u.sub(FloatVector.fromArray(SPECIES, x, x2 + i));
      a2 = d2.fma(d2, a2);
      FloatVector d3 = u.sub(FloatVector.fromArray(SPECIES, x, x3 + i));
      a3 = d3.fma(d3, a3);
    }
    float[] t = lanes;
    a0.intoArray(t, 0);
    a1.intoArray(t, LANES);
    a2.intoArray(t, 2 * LANES);
    a3.intoArray(t, 3 * LANES);
    float s0 = sumLanes(t, 0);
    float s1 = sumLanes(t, LANES);
    float s2 = sumLanes(t, 2 * LANES);
    float s3 = sumLanes(t, 3 * LANES);
    for (; i < d; i++) {
      float p = q[qo + i];
      float e0 = p - x[x0 + i]; float e1 = p - x[x1 + i]; float e2 = p - x[x2 + i]; float e3 = p - x[x3 + i];
      s0 += e0 * e0; s1 += e1 * e1; s2 += e2 * e2; s3 += e3 * e3;
    }
    store(s0, s1, s2, s3, out, oo, cols);
  }

  /** Products of one query by 4 vectors; see {@link #one}. */
  private void dotOne(float[] q, int qo, float[] x, int xo, int cols, float[] out, int oo) {
    int d = dimension;
    int x0 = xo;
    int x1 = xo + Math.min(1, cols - 1) * d;
    int x2 = xo + Math.min(2, cols - 1) * d;
    int x3 = xo + Math.min(3, cols - 1) * d;
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES);
    FloatVector a3 = FloatVector.zero(SPECIES);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector u = FloatVector.fromArray(SPECIES, q, qo + i);
      a0 = u.fma(FloatVector.fromArray(SPECIES, x, x0 + i), a0);
      a1 = u.fma(FloatVector.fromArray(SPECIES, x, x1 + i), a1);
      a2 = u.fma(FloatVector.fromArray(SPECIES, x, x2 + i), a2);
      a3 = u.fma(FloatVector.fromArray(SPECIES, x, x3 + i), a3);
    }
    float[] t = lanes;
    a0.intoArray(t, 0);
    a1.intoArray(t, LANES);
    a2.intoArray(t, 2 * LANES);
    a3.intoArray(t, 3 * LANES);
    float s0 = sumLanes(t, 0);
    float s1 = sumLanes(t, LANES);
    float s2 = sumLanes(t, 2 * LANES);
    float s3 = sumLanes(t, 3 * LANES);
    for (; i < d; i++) {
      float p = q[qo + i];
      s0 += p * x[x0 + i]; s1 += p * x[x1 + i]; s2 += p * x[x2 + i]; s3 += p * x[x3 + i];
    }
    store(s0, s1, s2, s3, out, oo, cols);
  }
}
