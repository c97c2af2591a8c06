package io.vers.spi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KernelsTest {
  private static final VectorKernel SCALAR = Kernels.scalar().vector();

  @Test
  void panamaIsSelectedWhenTheModuleIsPresent() {
    // The build runs tests with --add-modules jdk.incubator.vector.
    assertTrue(Kernels.panama().isPresent(), "Vector API kernel missing");
    assertEquals(Kernels.panama().map(Kernels::vector).get(), Kernels.get().vector());
  }

  @Test
  void panamaAgreesWithScalarForEveryLengthUpTo1024() {
    VectorKernel simd = Kernels.panama().map(Kernels::vector).orElseThrow();
    Random random = new Random(11);
    for (int length = 1; length <= 1024; length++) {
      int aOff = random.nextInt(5);
      int bOff = random.nextInt(5);
      float[] a = random(random, length + aOff);
      float[] b = random(random, length + bOff);
      check(simd, a, aOff, b, bOff, length);
    }
  }

  @Property(tries = 200)
  void kernelsAgreeWithDoublePrecision(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 1024) int length, @ForAll @IntRange(max = 7) int offset) {
    Random random = new Random(seed);
    float[] a = random(random, length + offset);
    float[] b = random(random, length + offset);
    double dot = 0, l2 = 0, aa = 0, bb = 0, scale = 0;
    for (int i = 0; i < length; i++) {
      double x = a[offset + i], y = b[offset + i];
      dot += x * y;
      l2 += (x - y) * (x - y);
      aa += x * x;
      bb += y * y;
      scale += Math.abs(x * y);
    }
    double cos = dot / Math.sqrt(aa * bb);
    for (VectorKernel kernel : new VectorKernel[] {SCALAR, Kernels.get().vector()}) {
      assertEquals(dot, kernel.dot(a, offset, b, offset, length), 1e-4 * (scale + 1), kernel.name());
      assertEquals(l2, kernel.squaredL2(a, offset, b, offset, length), 1e-4 * (l2 + 1), kernel.name());
      assertEquals(cos, kernel.cosine(a, offset, b, offset, length), 1e-4, kernel.name());
    }
  }

  @Test
  void resultsAreBitForBitStableAcrossCompilation() {
    Random random = new Random(3);
    float[][] a = new float[16][];
    float[][] b = new float[16][];
    float[] first = new float[16 * 3];
    for (int i = 0; i < 16; i++) {
      a[i] = random(random, 100 + 37 * i);
      b[i] = random(random, 100 + 37 * i);
    }
    VectorKernel kernel = Kernels.get().vector();
    for (int round = 0; round < 3000; round++) {
      for (int i = 0; i < 16; i++) {
        float[] got = {
          kernel.dot(a[i], 0, b[i], 0, a[i].length),
          kernel.squaredL2(a[i], 0, b[i], 0, a[i].length),
          kernel.cosine(a[i], 0, b[i], 0, a[i].length)
        };
        for (int j = 0; j < 3; j++) {
          if (round == 0) {
            first[3 * i + j] = got[j];
          } else {
            assertEquals(Float.floatToIntBits(first[3 * i + j]), Float.floatToIntBits(got[j]), "round " + round);
          }
        }
      }
    }
  }

  @Test
  void cosineOfZeroVectorIsZero() {
    float[] zero = new float[9];
    float[] one = new float[9];
    one[3] = 1;
    assertEquals(0f, SCALAR.cosine(zero, 0, one, 0, 9));
    assertEquals(0f, Kernels.get().vector().cosine(zero, 0, one, 0, 9));
  }

  private static void check(VectorKernel simd, float[] a, int aOff, float[] b, int bOff, int length) {
    float tolerance = 1e-4f * length;
    assertEquals(SCALAR.dot(a, aOff, b, bOff, length), simd.dot(a, aOff, b, bOff, length), tolerance, "dot " + length);
    float l2 = SCALAR.squaredL2(a, aOff, b, bOff, length);
    assertEquals(l2, simd.squaredL2(a, aOff, b, bOff, length), 1e-5f * l2 + 1e-5f, "l2 " + length);
    assertEquals(SCALAR.cosine(a, aOff, b, bOff, length), simd.cosine(a, aOff, b, bOff, length), 1e-4f,
        "cosine " + length);
  }

  private static float[] random(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
