package io.vers.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.api.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

class DatasetsTest {
  @TempDir Path dir;

  @Test
  void syntheticIsDeterministicPerSeed() {
    Dataset a = SyntheticDataset.generate(300, 8, 20, 7);
    Dataset b = SyntheticDataset.generate(300, 8, 20, 7);
    Dataset c = SyntheticDataset.generate(300, 8, 20, 8);
    assertEquals(300, a.base().length);
    assertEquals(20, a.queries().length);
    assertEquals(8, a.dimension());
    assertTrue(Arrays.deepEquals(a.base(), b.base()) && Arrays.deepEquals(a.queries(), b.queries()));
    assertFalse(Arrays.deepEquals(a.base(), c.base()));
    assertEquals(Metric.L2, a.metric());
    assertNull(a.groundTruth());
  }

  @Test
  void syntheticQueriesAreNotBaseVectors() {
    Dataset d = SyntheticDataset.generate(500, 4, 50, 1);
    for (float[] q : d.queries()) {
      for (float[] v : d.base()) {
        assertFalse(Arrays.equals(q, v));
      }
    }
  }

  @Test
  void limitQueriesTrimsGroundTruthToo() {
    Dataset d = new Dataset("d", TestFiles.grid(5, 2), TestFiles.grid(4, 2), new int[][] {{0}, {1}, {2}, {3}}, null);
    Dataset limited = d.limitQueries(2);
    assertEquals(2, limited.queries().length);
    assertEquals(2, limited.groundTruth().length);
    assertTrue(limited.declaredMetric().isEmpty());
  }

  @Test
  void formatsAreRecognisedByName() {
    assertEquals(VectorFormat.FVECS, VectorFormat.of(Path.of("x/base.fvecs")));
    assertEquals(VectorFormat.IVECS, VectorFormat.of(Path.of("gt.IVECS.gz")));
    assertEquals(VectorFormat.BVECS, VectorFormat.of(Path.of("b.bvecs")));
    assertEquals(VectorFormat.TEXT, VectorFormat.of(Path.of("wiki.en.vec")));
    assertEquals(VectorFormat.TEXT, VectorFormat.of(Path.of("glove.6B.50d.txt")));
    assertEquals(VectorFormat.IDX, VectorFormat.of(Path.of("train-images-idx3-ubyte.gz")));
    assertEquals(VectorFormat.HDF5, VectorFormat.of(Path.of("glove-100-angular.hdf5")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VectorFormat.of(Path.of("vectors.csv")));
    assertTrue(e.getMessage().contains(".fvecs"), e.getMessage());
  }

  @Test
  @ResourceLock("vers.datasets.dir")
  void fashionMnistMissingNamesTheAptPackage() {
    String previous = System.getProperty(FashionMnist.DATASETS_PROPERTY);
    System.setProperty(FashionMnist.DATASETS_PROPERTY, dir.toString());
    try {
      MissingDatasetException e = assertThrows(MissingDatasetException.class,
          () -> FashionMnist.load(10, ProgressListener.NONE));
      assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    } finally {
      restore(previous);
    }
  }

  @Test
  @ResourceLock("vers.datasets.dir")
  void fashionMnistLoadsTrainAsBaseAndTestAsQueries() throws IOException {
    Path fm = Files.createDirectories(dir.resolve("fashion-mnist"));
    int[] train = new int[5 * 4];
    Arrays.setAll(train, i -> i);
    TestFiles.gzip(fm.resolve("train-images-idx3-ubyte.gz"), TestFiles.idxUbyte(new int[] {5, 2, 2}, train));
    TestFiles.gzip(fm.resolve("t10k-images-idx3-ubyte.gz"),
        TestFiles.idxUbyte(new int[] {3, 2, 2}, new int[] {9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 7, 7}));
    String previous = System.getProperty(FashionMnist.DATASETS_PROPERTY);
    System.setProperty(FashionMnist.DATASETS_PROPERTY, dir.toString());
    try {
      Dataset d = FashionMnist.load(2, ProgressListener.NONE);
      assertEquals("fashion-mnist", d.name());
      assertEquals(5, d.base().length);
      assertEquals(2, d.queries().length);
      assertArrayEquals(new float[] {16, 17, 18, 19}, d.base()[4]);
      assertArrayEquals(new float[] {8, 8, 8, 8}, d.queries()[1]);
      assertEquals(Metric.L2, d.metric());
    } finally {
      restore(previous);
    }
  }

  private static void restore(String previous) {
    if (previous == null) {
      System.clearProperty(FashionMnist.DATASETS_PROPERTY);
    } else {
      System.setProperty(FashionMnist.DATASETS_PROPERTY, previous);
    }
  }
}
