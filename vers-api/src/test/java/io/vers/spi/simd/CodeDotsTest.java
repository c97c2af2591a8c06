package io.vers.spi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.api.testkit.TestData;
import io.vers.spi.storage.CodeStore;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CodeDotsTest {
  @Test
  void theVectorApiImplementationIsUsedWhenVersUsesIt() {
    CodeStore store = new CodeStore(4);
    String expected = Kernels.get().simd() ? "PanamaCodeDots" : "Plain";
    assertEquals(expected, Kernels.get().codeDots(store).getClass().getSimpleName());
  }

  /**
   * Each family's dots are the float-by-byte products computed independently in doubles, and the store's
   * batched distances are its one-record distances.
   */
  @Property(tries = 60)
  void dotsAreTheProductsOfTheQueryAndTheSignedCodes(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 300) int dim,
      @ForAll @IntRange(min = 0, max = 21) int count,
      @ForAll Metric metric) {
    Random random = new Random(seed);
    float[][] vectors = TestData.gaussian(random, 40, dim);
    float[] flat = new float[40 * dim];
    for (int i = 0; i < 40; i++) {
      System.arraycopy(vectors[i], 0, flat, i * dim, dim);
    }
    ScalarQuantizer quantizer = ScalarQuantizer.train(flat, 40, dim, seed);
    CodeStore store = new CodeStore(dim);
    for (float[] v : vectors) {
      store.append(quantizer, v, 0);
    }
    float[] prepared = new float[quantizer.preparedLength()];
    quantizer.prepare(TestData.gaussian(random, 1, dim)[0], 0, prepared, 0);
    int[] ords = random.ints(count, 0, 40).toArray();
    for (CodeDots dots : new CodeDots[] {Kernels.get().codeDots(store), new CodeDots.Plain(store)}) {
      float[] out = new float[count];
      dots.dots(prepared, 0, ords, 0, count, out);
      for (int i = 0; i < count; i++) {
        byte[] page = store.page(ords[i]);
        int offset = store.offset(ords[i]);
        double expected = 0;
        for (int d = 0; d < dim; d++) {
          expected += (double) prepared[d] * page[offset + d];
        }
        assertTrue(Math.abs(expected - out[i]) <= 1e-4 * (1 + Math.abs(expected)) + 1e-5 * dim,
            dots.getClass().getSimpleName() + " dim " + dim + ": " + out[i] + " vs " + expected);
      }
    }
    float[] distances = new float[count];
    store.distances(metric, prepared, 0, ords, 0, count, distances);
    for (int i = 0; i < count; i++) {
      assertEquals(store.distance(metric, prepared, 0, ords[i]), distances[i], "record " + ords[i] + " at " + i);
    }
  }
}
