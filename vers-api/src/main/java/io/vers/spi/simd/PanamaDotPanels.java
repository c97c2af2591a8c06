package io.vers.spi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of a few rows with a panel of {@code 2 * LANES} centroids stored component-major
 * ({@link DotPanels}), on the incubating Vector API: for each component, each row's value is
 * broadcast and multiplied into two vectors of centroid components. Every (row, centroid) product is
 * one fused multiply-add chain over the components in order, whatever the panel or row group, so
 * results are reproducible. No horizontal sums are needed. Only loaded by {@link Kernels} when the Vector API
 * is in use.
 */
final class PanamaDotPanels extends DotPanels {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Floats per vector. */
  static final int LANES = SPECIES.length();
  /** Centroids per panel. */
  static final int WIDTH = 2 * LANES;
  /**
   * Rows per call: 8 when vectors are 16 floats wide (AVX-512, 32 registers: 16 accumulators), else 4,
   * so that the accumulators stay in registers.
   */
  static final int ROWS = LANES >= 16 ? 8 : 4;

  @Override
  public int width() {
    return WIDTH;
  }

  @Override
  public int rows() {
    return ROWS;
  }

  @Override
  public void dot(float[] rows, int[] offsets, float[] panels, int panelOffset, int dim, float[] out) {
    if (ROWS == 8) {
      dot8(rows, offsets, panels, panelOffset, dim, out);
    } else {
      dot4(rows, offsets, panels, panelOffset, dim, out);
    }
  }

  @Override
  public void dot1(float[] row, int rowOffset, float[] panels, int p0, int p1, int p2, int p3, int dim,
      float[] out) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
    for (int i = 0, step = 0; i < dim; i++, step += WIDTH) {
      FloatVector x = FloatVector.broadcast(SPECIES, row[rowOffset + i]);
      s00 = x.fma(FloatVector.fromArray(SPECIES, panels, p0 + step), s00);
      s01 = x.fma(FloatVector.fromArray(SPECIES, panels, p0 + step + LANES), s01);
      s10 = x.fma(FloatVector.fromArray(SPECIES, panels, p1 + step), s10);
      s11 = x.fma(FloatVector.fromArray(SPECIES, panels, p1 + step + LANES), s11);
      s20 = x.fma(FloatVector.fromArray(SPECIES, panels, p2 + step), s20);
      s21 = x.fma(FloatVector.fromArray(SPECIES, panels, p2 + step + LANES), s21);
      s30 = x.fma(FloatVector.fromArray(SPECIES, panels, p3 + step), s30);
      s31 = x.fma(FloatVector.fromArray(SPECIES, panels, p3 + step + LANES), s31);
    }
    s00.intoArray(out, 0);
    s01.intoArray(out, LANES);
    s10.intoArray(out, 2 * LANES);
    s11.intoArray(out, 3 * LANES);
    s20.intoArray(out, 4 * LANES);
    s21.intoArray(out, 5 * LANES);
    s30.intoArray(out, 6 * LANES);
    s31.intoArray(out, 7 * LANES);
  }

  private static void dot8(float[] rows, int[] offsets, float[] panels, int panelOffset, int dim, float[] out) {
    int o0 = offsets[0];
    int o1 = offsets[1];
    int o2 = offsets[2];
    int o3 = offsets[3];
    int o4 = offsets[4];
    int o5 = offsets[5];
    int o6 = offsets[6];
    int o7 = offsets[7];
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
    FloatVector s40 = s00, s41 = s00, s50 = s00, s51 = s00, s60 = s00, s61 = s00, s70 = s00, s71 = s00;
    for (int i = 0, p = panelOffset; i < dim; i++, p += WIDTH) {
      FloatVector c0 = FloatVector.fromArray(SPECIES, panels, p);
      FloatVector c1 = FloatVector.fromArray(SPECIES, panels, p + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, rows[o0 + i]);
      s00 = x.fma(c0, s00);
      s01 = x.fma(c1, s01);
      x = FloatVector.broadcast(SPECIES, rows[o1 + i]);
      s10 = x.fma(c0, s10);
      s11 = x.fma(c1, s11);
      x = FloatVector.broadcast(SPECIES, rows[o2 + i]);
      s20 = x.fma(c0, s20);
      s21 = x.fma(c1, s21);
      x = FloatVector.broadcast(SPECIES, rows[o3 + i]);
      s30 = x.fma(c0, s30);
      s31 = x.fma(c1, s31);
      x = FloatVector.broadcast(SPECIES, rows[o4 + i]);
      s40 = x.fma(c0, s40);
      s41 = x.fma(c1, s41);
      x = FloatVector.broadcast(SPECIES, rows[o5 + i]);
      s50 = x.fma(c0, s50);
      s51 = x.fma(c1, s51);
      x = FloatVector.broadcast(SPECIES, rows[o6 + i]);
      s60 = x.fma(c0, s60);
      s61 = x.fma(c1, s61);
      x = FloatVector.broadcast(SPECIES, rows[o7 + i]);
      s70 = x.fma(c0, s70);
      s71 = x.fma(c1, s71);
    }
    s00.intoArray(out, 0);
    s01.intoArray(out, LANES);
    s10.intoArray(out, 2 * LANES);
    s11.intoArray(out, 3 * LANES);
    s20.intoArray(out, 4 * LANES);
    s21.intoArray(out, 5 * LANES);
    s30.intoArray(out, 6 * LANES);
    s31.intoArray(out, 7 * LANES);
    s40.intoArray(out, 8 * LANES);
    s41.intoArray(out, 9 * LANES);
    s50.intoArray(out, 10 * LANES);
    s51.intoArray(out, 11 * LANES);
    s60.intoArray(out, 12 * LANES);
    s61.intoArray(out, 13 * LANES);
    s70.intoArray(out, 14 * LANES);
    s71.intoArray(out, 15 * LANES);
  }

  private static void dot4(float[] rows, int[] offsets, float[] panels, int panelOffset, int dim, float[] out) {
    int o0 = offsets[0];
    int o1 = offsets[1];
    int o2 = offsets[2];
    int o3 = offsets[3];
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
    for (int i = 0, p = panelOffset; i < dim; i++, p += WIDTH) {
      FloatVector c0 = FloatVector.fromArray(SPECIES, panels, p);
      FloatVector c1 = FloatVector.fromArray(SPECIES, panels, p + LANES);
      FloatVector x = FloatVector.broadcast(SPECIES, rows[o0 + i]);
      s00 = x.fma(c0, s00);
      s01 = x.fma(c1, s01);
      x = FloatVector.broadcast(SPECIES, rows[o1 + i]);
      s10 = x.fma(c0, s10);
      s11 = x.fma(c1, s11);
      x = FloatVector.broadcast(SPECIES, rows[o2 + i]);
      s20 = x.fma(c0, s20);
      s21 = x.fma(c1, s21);
      x = FloatVector.broadcast(SPECIES, rows[o3 + i]);
      s30 = x.fma(c0, s30);
      s31 = x.fma(c1, s31);
    }
    s00.intoArray(out, 0);
    s01.intoArray(out, LANES);
    s10.intoArray(out, 2 * LANES);
    s11.intoArray(out, 3 * LANES);
    s20.intoArray(out, 4 * LANES);
    s21.intoArray(out, 5 * LANES);
    s30.intoArray(out, 6 * LANES);
    s31.intoArray(out, 7 * LANES);
  }
}
