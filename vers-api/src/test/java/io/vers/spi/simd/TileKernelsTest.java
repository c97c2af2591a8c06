package io.vers.spi.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The Vector API tiles and panels against their scalar twins, and the forced choice of the scalar family. */
class TileKernelsTest {
  private static final Kernels PANAMA = Kernels.panama().orElseThrow();

  @Property(tries = 150)
  void l2TilesAgreeWithTheScalarTwin(@ForAll @IntRange(min = 1, max = 300) int dim,
      @ForAll @IntRange(min = 0, max = 7) int offset, @ForAll long seed) {
    Random random = new Random(seed);
    float[] a = random(random, offset + 4 * dim);
    float[] b = random(random, offset + 4 * dim);
    for (L2Tiles tiles : new L2Tiles[] {PANAMA.l2Tiles(), Kernels.scalar().l2Tiles()}) {
      float[] rows = new float[4];
      float[] columns = new float[4];
      float[] scratch = tiles.newScratch();
      tiles.tile4x1(a, offset, a, offset + dim, a, offset + 2 * dim, a, offset + 3 * dim, b, offset, dim, rows, 0,
          scratch);
      tiles.tile1x4(b, offset, a, offset, dim, columns, 0, scratch);
      for (int i = 0; i < 4; i++) {
        double exact = squaredL2(a, offset + i * dim, b, offset, dim);
        assertEquals(exact, rows[i], 1e-5 * Math.max(1, exact), tiles + " tile4x1 row " + i);
        assertEquals(exact, columns[i], 1e-5 * Math.max(1, exact), tiles + " tile1x4 column " + i);
      }
    }
  }

  @Property(tries = 100)
  void dotPanelsGiveTheScalarTwinsBits(@ForAll @IntRange(min = 1, max = 200) int dim, @ForAll long seed) {
    DotPanels simd = PANAMA.dotPanels();
    DotPanels twin = new DotPanels.Scalar(simd.width(), simd.rows());
    Random random = new Random(seed);
    int panelFloats = simd.width() * dim;
    float[] panels = random(random, 3 * panelFloats);
    float[] rows = random(random, (simd.rows() + 1) * dim);
    int[] offsets = new int[simd.rows()];
    for (int r = 0; r < offsets.length; r++) {
      offsets[r] = random.nextInt(simd.rows() + 1) * dim;
    }
    float[] expected = new float[4 * simd.width() * Math.max(1, simd.rows())];
    float[] actual = expected.clone();
    int panel = random.nextInt(3) * panelFloats;
    twin.dot(rows, offsets, panels, panel, dim, expected);
    simd.dot(rows, offsets, panels, panel, dim, actual);
    assertArrayEquals(expected, actual);
    twin.dot1(rows, dim, panels, 0, panelFloats, 2 * panelFloats, panelFloats, dim, expected);
    simd.dot1(rows, dim, panels, 0, panelFloats, 2 * panelFloats, panelFloats, dim, actual);
    assertArrayEquals(expected, actual);
    // one row ranked alone gets the products a group computes
    float[] single = new float[4 * simd.width()];
    simd.dot1(rows, offsets[0], panels, panel, panel, panel, panel, dim, single);
    float[] group = new float[simd.rows() * simd.width()];
    simd.dot(rows, offsets, panels, panel, dim, group);
    for (int j = 0; j < simd.width(); j++) {
      assertEquals(group[j], single[j]);
    }
  }

  @Test
  void scalarFamilyIsWhatTheSystemPropertyForces() {
    boolean forced = "scalar".equals(System.getProperty("vers.kernel"));
    assertSame(forced ? Kernels.scalar() : PANAMA, Kernels.get());
    assertFalse(Kernels.scalar().simd());
    assertEquals("scalar", Kernels.scalar().name());
  }

  private static double squaredL2(float[] a, int aOff, float[] b, int bOff, int dim) {
    double sum = 0;
    for (int i = 0; i < dim; i++) {
      double d = (double) a[aOff + i] - b[bOff + i];
      sum += d * d;
    }
    return sum;
  }

  private static float[] random(Random random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextFloat() * 2 - 1;
    }
    return x;
  }
}
