package io.vers.spi.simd;

import io.vers.api.Metric;

/**
 * {@link BlockDistance} in plain Java: the same three-by-four blocking as the Vector API version, with
 * one scalar accumulator per (query, vector) pair summed over the dimensions in ascending order, so that
 * a pair's distance does not depend on its block here either. Used where the Vector API is not.
 */
final class ScalarBlockDistance extends BlockDistance {
  ScalarBlockDistance(Metric metric, int dimension) {
    super(metric, dimension);
  }

  @Override
  public String name() {
    return "scalar " + QUERIES + "x" + VECTORS;
  }

  @Override
  float single(float[] q, int qo, float[] x, int xo) {
    float s = 0;
    if (l2) {
      for (int i = 0; i < dimension; i++) {
        float e = q[qo + i] - x[xo + i];
        s += e * e;
      }
    } else {
      for (int i = 0; i < dimension; i++) {
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

  private void l2Block(float[] q, int qo, int rows, float[] x, int xo, int cols, float[] out, int oo, int stride) {
    int d = dimension;
    int q0 = qo;
    int q1 = qo + Math.min(1, rows - 1) * d;
    int q2 = qo + Math.min(2, rows - 1) * d;
    int x0 = xo;
    int x1 = xo + Math.min(1, cols - 1) * d;
    int x2 = xo + Math.min(2, cols - 1) * d;
    int x3 = xo + Math.min(3, cols - 1) * d;
    float s00 = 0, s01 = 0, s02 = 0, s03 = 0;
    float s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    float s20 = 0, s21 = 0, s22 = 0, s23 = 0;
    for (int i = 0; i < d; i++) {
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

  private void dotBlock(float[] q, int qo, int rows, float[] x, int xo, int cols, float[] out, int oo, int stride) {
    int d = dimension;
    int q0 = qo;
    int q1 = qo + Math.min(1, rows - 1) * d;
    int q2 = qo + Math.min(2, rows - 1) * d;
    int x0 = xo;
    int x1 = xo + Math.min(1, cols - 1) * d;
    int x2 = xo + Math.min(2, cols - 1) * d;
    int x3 = xo + Math.min(3, cols - 1) * d;
    float s00 = 0, s01 = 0, s02 = 0, s03 = 0;
    float s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    float s20 = 0, s21 = 0, s22 = 0, s23 = 0;
    for (int i = 0; i < d; i++) {
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

  private void l2One(float[] q, int qo, float[] x, int xo, int cols, float[] out, int oo) {
    int d = dimension;
    int x0 = xo;
    int x1 = xo + Math.min(1, cols - 1) * d;
    int x2 = xo + Math.min(2, cols - 1) * d;
    int x3 = xo + Math.min(3, cols - 1) * d;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int i = 0; i < d; i++) {
      float p = q[qo + i];
      float e0 = p - x[x0 + i]; float e1 = p - x[x1 + i]; float e2 = p - x[x2 + i]; float e3 = p - x[x3 + i];
      s0 += e0 * e0; s1 += e1 * e1; s2 += e2 * e2; s3 += e3 * e3;
    }
    store(s0, s1, s2, s3, out, oo, cols);
  }

  private void dotOne(float[] q, int qo, float[] x, int xo, int cols, float[] out, int oo) {
    int d = dimension;
    int x0 = xo;
    int x1 = xo + Math.min(1, cols - 1) * d;
    int x2 = xo + Math.min(2, cols - 1) * d;
    int x3 = xo + Math.min(3, cols - 1) * d;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int i = 0; i < d; i++) {
      float p = q[qo + i];
      s0 += p * x[x0 + i]; s1 += p * x[x1 + i]; s2 += p * x[x2 + i]; s3 += p * x[x3 + i];
    }
    store(s0, s1, s2, s3, out, oo, cols);
  }
}
