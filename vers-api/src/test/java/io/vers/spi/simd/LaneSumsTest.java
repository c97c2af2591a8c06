package io.vers.spi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vers.api.Metric;
import io.vers.spi.storage.CodeStore;
import io.vers.spi.storage.VectorStore;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The batch kernels' joint lane sums ({@link LaneSums}) give every vector bit for bit the sum it gets
 * alone, on components of mixed magnitudes and signs, so that any change in the order of the additions
 * would show in the rounding. Groups of eight and of four (and their stand-ins) are all reached by the
 * counts tried, and half the dimensions are whole multiples of 16 lanes, where a group of eight leaves
 * in one store.
 */
class LaneSumsTest {
  private static float[] mixed(Random random, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
    }
    return v;
  }

  private static void assertSameBits(float expected, float actual, String what) {
    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), what + ": " + expected + " vs " + actual);
  }

  @Property(tries = 100)
  void batchedFloatDistancesSumEachVectorAsItsSingleDistanceDoes(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 130) int length,
      @ForAll boolean whole,
      @ForAll @IntRange(min = 1, max = 19) int count,
      @ForAll Metric metric) {
    int dim = whole ? 16 * ((length + 15) / 16) : length;
    Random random = new Random(seed);
    VectorStore store = new VectorStore(dim);
    for (int i = 0; i < 24; i++) {
      store.append(mixed(random, dim));
    }
    float[] query = mixed(random, dim);
    int[] nodes = random.ints(count, 0, 24).toArray();
    BatchDistance batch = Kernels.get().batch(store, metric);
    float[] out = new float[count];
    batch.distances(query, nodes, count, out);
    for (int i = 0; i < count; i++) {
      assertSameBits(batch.distance(query, nodes[i]), out[i], metric + " vector " + i + " of " + count);
    }
  }

  @Property(tries = 100)
  void batchedCodeDotsSumEachRecordAsItsSingleDotDoes(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 130) int length,
      @ForAll boolean whole,
      @ForAll @IntRange(min = 1, max = 19) int count) {
    int dim = whole ? 16 * ((length + 15) / 16) : length;
    Random random = new Random(seed);
    byte[] data = new byte[24 * (dim + 4)];
    random.nextBytes(data);
    CodeStore store = CodeStore.fromArray(dim, data, 24);
    float[] query = mixed(random, dim + 2);
    int[] ords = random.ints(count, 0, 24).toArray();
    CodeDots dots = Kernels.get().codeDots(store);
    float[] out = new float[count];
    dots.dots(query, 0, ords, 0, count, out);
    for (int i = 0; i < count; i++) {
      assertSameBits(dots.dot(query, 0, ords[i]), out[i], "record " + i + " of " + count);
    }
  }
}
