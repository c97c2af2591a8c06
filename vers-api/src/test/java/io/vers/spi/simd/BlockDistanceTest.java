package io.vers.spi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.api.testkit.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BlockDistanceTest {
  /** The implementations this JVM can run: the scalar one always, the Vector API one when present. */
  private static List<BlockDistance> implementations(Metric metric, int dim) {
    List<BlockDistance> out = new ArrayList<>();
    out.add(Kernels.scalar().block(metric, dim));
    if (Kernels.panama().isPresent()) {
      out.add(new PanamaBlockDistance(metric, dim));
    }
    return out;
  }

  @Test
  void theVectorApiImplementationIsUsedWhenVersUsesIt() {
    String expected = Kernels.get().simd() ? "PanamaBlockDistance" : "ScalarBlockDistance";
    assertEquals(expected, Kernels.get().block(Metric.L2, 8).getClass().getSimpleName());
  }

  /**
   * Each implementation gives, for every (query, vector) pair, bit for bit the same distance in a block
   * of many queries and vectors as in a block of one query and one vector, at any offset and stride;
   * the Vector API and scalar implementations agree with each other and with the metric's formula
   * within float rounding.
   */
  @Property(tries = 80)
  void blocksEqualOneQueryBitForBitAndImplementationsAgree(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 150) int dim,
      @ForAll @IntRange(min = 1, max = 11) int queryCount,
      @ForAll @IntRange(min = 0, max = 14) int vectorCount,
      @ForAll @IntRange(min = 0, max = 3) int queryShift,
      @ForAll @IntRange(min = 0, max = 5) int vectorShift,
      @ForAll @IntRange(min = 0, max = 4) int pad,
      @ForAll Metric metric) {
    Random random = new Random(seed);
    float[][] rawQueries = TestData.clustered(random, queryCount, dim, 3, 0.5);
    float[][] rawVectors = TestData.clustered(random, vectorCount, dim, 3, 0.5);
    int queryOffset = queryShift * dim + queryShift;
    int vectorOffset = vectorShift * dim + vectorShift;
    float[] queries = rowMajor(metric, rawQueries, queryOffset, random);
    float[] vectors = rowMajor(metric, rawVectors, vectorOffset, random);
    int stride = vectorCount + pad;
    int outOffset = pad;
    List<float[]> blocks = new ArrayList<>();
    for (BlockDistance kernel : implementations(metric, dim)) {
      float[] out = new float[outOffset + queryCount * stride];
      Arrays.fill(out, Float.NaN);
      kernel.distances(queries, queryOffset, queryCount, vectors, vectorOffset, vectorCount, out, outOffset, stride);
      float[] one = new float[Math.max(vectorCount, 1)];
      float[] single = new float[1];
      for (int j = 0; j < queryCount; j++) {
        Arrays.fill(one, Float.NaN);
        kernel.distances(queries, queryOffset + j * dim, 1, vectors, vectorOffset, vectorCount, one, 0, vectorCount);
        for (int i = 0; i < vectorCount; i++) {
          float blocked = out[outOffset + j * stride + i];
          String where = kernel.name() + " " + metric + " dim " + dim + ", query " + j + " of " + queryCount
              + ", vector " + i + " of " + vectorCount;
          assertEquals(Float.floatToIntBits(one[i]), Float.floatToIntBits(blocked), where + ": block of one query");
          kernel.distances(queries, queryOffset + j * dim, 1, vectors, vectorOffset + i * dim, 1, single, 0, 1);
          assertEquals(Float.floatToIntBits(single[0]), Float.floatToIntBits(blocked), where + ": one pair");
          double expected = TestData.distance(metric, metric.storedForm(rawQueries[j]),
              metric.storedForm(rawVectors[i]));
          assertTrue(TestData.close(expected, blocked), where + ": " + blocked + " vs " + expected);
        }
        if (stride > vectorCount) {
          assertTrue(Float.isNaN(out[outOffset + j * stride + vectorCount]), "nothing written past the block");
        }
      }
      blocks.add(out);
    }
    for (int b = 1; b < blocks.size(); b++) {
      for (int j = 0; j < queryCount; j++) {
        for (int i = 0; i < vectorCount; i++) {
          float s = blocks.get(0)[outOffset + j * stride + i];
          float p = blocks.get(b)[outOffset + j * stride + i];
          assertTrue(TestData.close(s, p), metric + " dim " + dim + ": scalar " + s + " vs vector " + p);
        }
      }
    }
  }

  /** Distances do not change once the kernels are compiled. */
  @Test
  void distancesAreBitForBitStableAcrossCompilation() {
    Random random = new Random(3);
    int dim = 100;
    int queryCount = 7;
    int vectorCount = 10;
    for (Metric metric : Metric.values()) {
      float[] queries = rowMajor(metric, TestData.gaussian(random, queryCount, dim), 0, random);
      float[] vectors = rowMajor(metric, TestData.gaussian(random, vectorCount, dim), 0, random);
      for (BlockDistance kernel : implementations(metric, dim)) {
        float[] first = new float[queryCount * vectorCount];
        float[] out = new float[first.length];
        kernel.distances(queries, 0, queryCount, vectors, 0, vectorCount, first, 0, vectorCount);
        for (int round = 0; round < 3000; round++) {
          int count = 1 + round % queryCount;
          kernel.distances(queries, 0, count, vectors, 0, vectorCount, out, 0, vectorCount);
          for (int i = 0; i < count * vectorCount; i++) {
            assertEquals(Float.floatToIntBits(first[i]), Float.floatToIntBits(out[i]),
                kernel.name() + " " + metric + " round " + round);
          }
        }
      }
    }
  }

  /** Stored forms of {@code rows}, row-major from {@code offset}, with random floats around them. */
  private static float[] rowMajor(Metric metric, float[][] rows, int offset, Random random) {
    int dim = rows.length == 0 ? 0 : rows[0].length;
    float[] out = new float[offset + rows.length * dim + 3];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) random.nextGaussian() * 100;
    }
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(metric.storedForm(rows[i]), 0, out, offset + i * dim, dim);
    }
    return out;
  }
}
