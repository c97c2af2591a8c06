package io.vers.spi.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.CorruptIndexException;
import io.vers.api.Metric;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.VectorKernel;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class QuantizationTest {
  @Property(tries = 200)
  void theByteKernelsAgreeWithEachOtherAndWithDoublePrecision(@ForAll @IntRange(min = 1, max = 700) int length,
      @ForAll @IntRange(min = 0, max = 9) int qOffset, @ForAll @IntRange(min = 0, max = 9) int cOffset,
      @ForAll long seed) {
    Random random = new Random(seed);
    float[] q = new float[qOffset + length];
    byte[] codes = new byte[cOffset + length];
    double exact = 0;
    double magnitude = 0;
    for (int i = 0; i < length; i++) {
      q[qOffset + i] = random.nextFloat() * 2 - 1;
      codes[cOffset + i] = (byte) (random.nextInt(256) - 128);
      exact += (double) q[qOffset + i] * codes[cOffset + i];
      magnitude += Math.abs((double) q[qOffset + i] * codes[cOffset + i]);
    }
    VectorKernel panama = Kernels.panama().orElseThrow().vector();
    VectorKernel scalar = Kernels.scalar().vector();
    double tolerance = 1e-5 * Math.max(1, magnitude);
    assertEquals(exact, panama.dotCodes(q, qOffset, codes, cOffset, length), tolerance, "panama");
    assertEquals(exact, scalar.dotCodes(q, qOffset, codes, cOffset, length), tolerance, "scalar");
  }

  @Property(tries = 60)
  void distancesFromCodesAreTheMetricsDistancesToTheDecodedVectors(
      @ForAll @IntRange(min = 1, max = 64) int dimension, @ForAll long seed) {
    Random random = new Random(seed);
    int n = 300;
    float[] data = new float[n * dimension];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian() * (1 + i % dimension);
    }
    ScalarQuantizer quantizer = ScalarQuantizer.train(data, n, dimension, seed);
    CodeStore codes = new CodeStore(dimension);
    for (int i = 0; i < n; i++) {
      assertEquals(i, codes.append(quantizer, data, i * dimension));
    }
    float[] query = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      query[d] = (float) random.nextGaussian();
    }
    float[] prepared = new float[quantizer.preparedLength() + 3];
    quantizer.prepare(query, 0, prepared, 3);
    float[] unit = Metric.COSINE.storedForm(query);
    float[] preparedUnit = new float[quantizer.preparedLength()];
    quantizer.prepare(unit, 0, preparedUnit, 0);
    float[] decoded = new float[dimension];
    for (int i = 0; i < n; i++) {
      codes.decode(quantizer, i, decoded, 0);
      for (Metric metric : new Metric[] {Metric.L2, Metric.DOT}) {
        double expected = metric.exactDistance(query, decoded);
        float actual = codes.distance(metric, prepared, 3, i);
        assertEquals(expected, actual, 1e-3 * (1 + Math.abs(expected)), metric + " to the decoded vector " + i);
      }
      if (codes.norm(i) > 1e-6) {
        double expected = Metric.COSINE.exactDistance(unit, decoded);
        assertEquals(expected, codes.distance(Metric.COSINE, preparedUnit, 0, i), 1e-4,
            "COSINE (unit query) to the decoded vector " + i);
      }
    }
  }

  @Test
  void valuesInsideTheRangeComeBackWithinHalfAStepAndOutliersAreClipped() {
    int dimension = 3;
    int n = 10_001;
    float[] data = new float[n * dimension];
    for (int i = 0; i < n; i++) {
      data[i * dimension] = i / 10_000f;
      data[i * dimension + 1] = -5 + i / 1000f;
      data[i * dimension + 2] = 7;
    }
    data[0] = -1000; // one outlier must not stretch the range
    ScalarQuantizer quantizer = ScalarQuantizer.train(data, n, dimension, 1);
    assertTrue(quantizer.lows()[0] > -0.01 && quantizer.highs()[0] < 1.01, "range of dimension 0");
    byte[] codes = new byte[dimension];
    float[] back = new float[dimension];
    for (int i = 1; i < n; i += 97) {
      quantizer.encode(data, i * dimension, codes, 0);
      quantizer.decode(codes, 0, back, 0);
      assertEquals(data[i * dimension], back[0], 0.5 / 255 + 1e-4);
      assertEquals(data[i * dimension + 1], back[1], 0.5 * 10 / 255 + 1e-3);
      assertEquals(7f, back[2], 1e-6);
    }
    float[] outlier = {50, -50, 7};
    assertTrue(quantizer.farOutside(outlier, 0));
    quantizer.encode(outlier, 0, codes, 0);
    quantizer.decode(codes, 0, back, 0);
    assertEquals(quantizer.highs()[0], back[0], 1e-5, "clipped to the top of the range");
    assertEquals(quantizer.lows()[1], back[1], 1e-5, "clipped to the bottom of the range");
    assertFalse(quantizer.farOutside(new float[] {0.5f, 0, 7}, 0));
  }

  @Test
  void rangesSurviveARoundTripAndBadRangesAreRefused() throws Exception {
    ScalarQuantizer q = ScalarQuantizer.of(new float[] {0, -1}, new float[] {1, 1});
    ScalarQuantizer back = ScalarQuantizer.of(q.lows(), q.highs());
    byte[] a = new byte[2];
    byte[] b = new byte[2];
    float[] v = {0.3f, -0.2f};
    assertEquals(q.encode(v, 0, a, 0), back.encode(v, 0, b, 0));
    assertEquals(a[0], b[0]);
    assertEquals(a[1], b[1]);
    assertThrows(CorruptIndexException.class, () -> ScalarQuantizer.of(new float[] {1}, new float[] {0}));
    assertThrows(CorruptIndexException.class, () -> ScalarQuantizer.of(new float[] {Float.NaN}, new float[] {0}));
    assertThrows(CorruptIndexException.class, () -> ScalarQuantizer.of(new float[] {0, 1}, new float[] {1}));
    assertThrows(CorruptIndexException.class,
        () -> ScalarQuantizer.of(new float[] {-Float.MAX_VALUE}, new float[] {Float.MAX_VALUE}));
  }

  @Test
  void aCodeStoreRoundTripsThroughItsSnapshotView() {
    int dimension = 5;
    int n = 40;
    Random random = new Random(3);
    float[] data = new float[n * dimension];
    for (int i = 0; i < data.length; i++) {
      data[i] = random.nextInt(200) / 10f - 10;
    }
    ScalarQuantizer quantizer = ScalarQuantizer.train(data, n, dimension, 2);
    CodeStore store = new CodeStore(dimension);
    for (int i = 0; i < n; i++) {
      store.append(quantizer, data, i * dimension);
    }
    CodeStore copy = CodeStore.fromArray(dimension, (byte[]) store.view(n).toArray(), n);
    float[] prepared = new float[quantizer.preparedLength()];
    quantizer.prepare(data, 7 * dimension, prepared, 0);
    assertEquals(n, copy.size());
    for (int i = 0; i < n; i++) {
      assertEquals(store.norm(i), copy.norm(i));
      assertEquals(store.distance(Metric.L2, prepared, 0, i), copy.distance(Metric.L2, prepared, 0, i));
    }
  }
}
