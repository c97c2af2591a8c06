package io.vers.ivfflat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.testkit.TestData;
import io.vers.spi.Vectors;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KMeansTest {
  @Property(tries = 30)
  void bestOfAttemptsHasTheLowestInertia(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 30) int k,
      @ForAll @IntRange(min = 0, max = 300) int extra,
      @ForAll @IntRange(min = 1, max = 24) int dim,
      @ForAll @IntRange(min = 2, max = 4) int attempts) {
    float[][] data = TestData.clustered(new Random(seed), k + extra, dim, 6, 0.8);
    int noSampling = k + extra;
    KMeans.Result best = KMeans.builder(k).attempts(attempts).seed(seed).threads(2).maxPointsPerCentroid(noSampling)
        .build().train(data);
    double lowest = Double.POSITIVE_INFINITY;
    for (int a = 0; a < attempts; a++) {
      KMeans.Result single = KMeans.builder(k).seed(seed + a).maxPointsPerCentroid(noSampling).build().train(data);
      assertEquals(single.inertia(), best.attemptInertias()[a], "attempt " + a + " is reproduced by seed + " + a);
      assertTrue(best.inertia() <= single.inertia(),
          "best inertia " + best.inertia() + " above attempt " + a + "'s " + single.inertia());
      lowest = Math.min(lowest, single.inertia());
    }
    assertEquals(lowest, best.inertia());
  }

  @Property(tries = 40)
  void noClusterIsEmptyWhenThereAreAtLeastKPoints(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 60) int k,
      @ForAll @IntRange(min = 0, max = 300) int extra,
      @ForAll @IntRange(min = 1, max = 16) int dim,
      @ForAll @IntRange(min = 0, max = 90) int duplicatePercent,
      @ForAll @IntRange(min = 1, max = 300) int maxPointsPerCentroid,
      @ForAll boolean spherical) {
    Random random = new Random(seed);
    int n = k + extra;
    float[][] data = TestData.gaussian(random, n, dim);
    for (int i = 1; i < n; i++) {
      if (random.nextInt(100) < duplicatePercent) {
        data[i] = data[random.nextInt(i)].clone();
      }
    }
    if (spherical) {
      for (float[] v : data) {
        v[0] += 1e-3f;
        Vectors.normalizeInPlace(v);
      }
    }
    KMeans.Result result = KMeans.builder(k)
        .seed(seed)
        .threads(2)
        .maxPointsPerCentroid(maxPointsPerCentroid)
        .spherical(spherical)
        .build()
        .train(data);
    assertEquals(n, result.labels().length);
    assertEquals(Math.min(n, (long) maxPointsPerCentroid * k), result.trainingPoints());
    int[] sizes = result.clusterSizes();
    for (int c = 0; c < k; c++) {
      assertTrue(sizes[c] > 0, "cluster " + c + " of " + k + " is empty; sizes " + Arrays.toString(sizes));
    }
    float[] centroids = result.centroids();
    assertEquals(k * dim, centroids.length);
    for (int c = 0; c < k; c++) {
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        float x = centroids[c * dim + j];
        assertTrue(Float.isFinite(x), "centroid " + c + " has " + x);
        norm += x * x;
      }
      if (spherical) {
        assertEquals(1.0, norm, 1e-4, "spherical centroid " + c + " has squared length " + norm);
      }
    }
  }

  @Test
  void reportedInertiaIsTheSumOfSquaredDistancesToTheLabelledCentroids() {
    Random random = new Random(5);
    float[][] data = TestData.clustered(random, 2000, 12, 10, 0.5);
    KMeans.Result result = KMeans.builder(25).threads(2).build().train(data);
    double expected = 0;
    for (int i = 0; i < data.length; i++) {
      expected += squaredDistance(data[i], result.centroids(), result.labels()[i] * 12);
    }
    assertEquals(expected, result.inertia(), 1e-4 * expected);
  }

  @Test
  void everyPointIsLabelledWithItsNearestCentroid() {
    Random random = new Random(6);
    float[][] data = TestData.gaussian(random, 3000, 8);
    KMeans.Result result = KMeans.builder(20).maxPointsPerCentroid(10).threads(2).build().train(data);
    assertEquals(200, result.trainingPoints());
    int nearestCount = 0;
    for (int i = 0; i < data.length; i++) {
      double labelled = squaredDistance(data[i], result.centroids(), result.labels()[i] * 8);
      double best = Double.POSITIVE_INFINITY;
      for (int c = 0; c < 20; c++) {
        best = Math.min(best, squaredDistance(data[i], result.centroids(), c * 8));
      }
      assertTrue(labelled <= best * (1 + 1e-4) + 1e-4, "point " + i + " is not with its nearest centroid");
      nearestCount++;
    }
    assertEquals(data.length, nearestCount);
  }

  @Test
  void findsWellSeparatedClusters() {
    Random random = new Random(7);
    int clusters = 6;
    float[][] data = new float[1200][];
    int[] truth = new int[data.length];
    for (int i = 0; i < data.length; i++) {
      truth[i] = i % clusters;
      data[i] = new float[4];
      for (int j = 0; j < 4; j++) {
        data[i][j] = (float) ((j == truth[i] % 4 ? 100 * (1 + truth[i] / 4) : 0) + random.nextGaussian());
      }
    }
    KMeans.Result result = KMeans.builder(clusters).attempts(3).threads(2).build().train(data);
    Set<String> pairs = new HashSet<>();
    for (int i = 0; i < data.length; i++) {
      pairs.add(truth[i] + "->" + result.labels()[i]);
    }
    assertEquals(clusters, pairs.size(), "each true cluster maps to exactly one label: " + pairs);
  }

  @Test
  void resultDoesNotDependOnTheThreadCount() {
    float[][] data = TestData.clustered(new Random(8), 5000, 20, 30, 0.7);
    KMeans.Result one = KMeans.builder(64).attempts(2).threads(1).build().train(data);
    KMeans.Result three = KMeans.builder(64).attempts(2).threads(3).build().train(data);
    assertArrayEquals(one.centroids(), three.centroids());
    assertArrayEquals(one.labels(), three.labels());
    assertEquals(one.inertia(), three.inertia());
  }

  @Test
  void packedAndJaggedInputAgree() {
    float[][] data = TestData.gaussian(new Random(9), 500, 7);
    float[] packed = new float[500 * 7];
    for (int i = 0; i < 500; i++) {
      System.arraycopy(data[i], 0, packed, i * 7, 7);
    }
    KMeans kmeans = KMeans.builder(12).build();
    assertArrayEquals(kmeans.train(data).centroids(), kmeans.train(packed, 500, 7).centroids());
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> KMeans.builder(0));
    assertThrows(IllegalArgumentException.class, () -> KMeans.builder(3).attempts(0));
    assertThrows(IllegalArgumentException.class, () -> KMeans.builder(3).tolerance(-1));
    IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
        () -> KMeans.builder(5).build().train(new float[4][2]));
    assertTrue(tooFew.getMessage().contains("at least 5"), tooFew.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> KMeans.builder(1).build().train(new float[][] {{1, 2}, {3}}));
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> KMeans.builder(1).build().train(new float[][] {{1, 2}, {3, Float.NaN}}));
    assertTrue(nan.getMessage().contains("vector 1"), nan.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> KMeans.builder(1).build().train(new float[] {1, Float.POSITIVE_INFINITY}, 1, 2));
  }

  private static double squaredDistance(float[] v, float[] centroids, int offset) {
    double sum = 0;
    for (int j = 0; j < v.length; j++) {
      double d = v[j] - centroids[offset + j];
      sum += d * d;
    }
    return sum;
  }
}
