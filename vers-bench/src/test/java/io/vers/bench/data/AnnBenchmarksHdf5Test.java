package io.vers.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.vers.api.Metric;
import io.vers.api.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes ann-benchmarks-shaped files with jhdf's writer and reads them back with the loader. */
class AnnBenchmarksHdf5Test {
  @TempDir Path dir;

  static Path write(Path file, float[][] train, float[][] test, int[][] neighbors, String distance) {
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      hdf.putDataset("train", train);
      hdf.putDataset("test", test);
      if (neighbors != null) {
        hdf.putDataset("neighbors", neighbors);
      }
      if (distance != null) {
        hdf.putAttribute("distance", distance);
      }
    }
    return file;
  }

  @Test
  void readsTrainTestNeighborsAndDistance() throws IOException {
    float[][] train = TestFiles.grid(6, 3);
    float[][] test = TestFiles.grid(2, 3);
    int[][] neighbors = {{0, 1}, {1, 0}};
    Path file = write(dir.resolve("tiny-angular.hdf5"), train, test, neighbors, "angular");
    float[][] base = VectorFiles.readVectors(file, Integer.MAX_VALUE, ProgressListener.NONE);
    assertEquals(6, base.length);
    assertArrayEquals(train[5], base[5]);
    assertArrayEquals(test[1], AnnBenchmarksHdf5.readVectors(file, "test", 10)[1]);
    assertArrayEquals(neighbors[1], VectorFiles.readNeighbours(file, 10, ProgressListener.NONE)[1]);
    assertEquals(Metric.COSINE, AnnBenchmarksHdf5.metric(file).orElseThrow());
    assertTrue(AnnBenchmarksHdf5.hasNeighbors(file));
  }

  @Test
  void limitReadsOnlyTheFirstRows() throws IOException {
    float[][] train = TestFiles.grid(6, 3);
    Path file = write(dir.resolve("t.hdf5"), train, train, null, "euclidean");
    float[][] first = AnnBenchmarksHdf5.readVectors(file, "train", 2);
    assertEquals(2, first.length);
    assertArrayEquals(train[1], first[1]);
    assertFalse(AnnBenchmarksHdf5.hasNeighbors(file));
    assertEquals(Metric.L2, AnnBenchmarksHdf5.metric(file).orElseThrow());
  }

  @Test
  void missingDatasetIsNamed() {
    float[][] train = TestFiles.grid(3, 2);
    Path file = write(dir.resolve("no-neighbors.hdf5"), train, train, null, null);
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> AnnBenchmarksHdf5.readNeighbors(file, 10));
    assertTrue(e.getMessage().contains("no dataset 'neighbors'") && e.getMessage().contains(file.toString()),
        e.getMessage());
  }

  @Test
  void unsupportedDistanceIsRejected() {
    float[][] train = TestFiles.grid(3, 2);
    Path file = write(dir.resolve("jaccard.hdf5"), train, train, null, "jaccard");
    DataFormatException e = assertThrows(DataFormatException.class, () -> AnnBenchmarksHdf5.metric(file));
    assertTrue(e.getMessage().contains("'jaccard'"), e.getMessage());
  }

  @Test
  void aFileThatIsNotHdf5IsRejectedAtOffsetZero() throws IOException {
    Path file = TestFiles.text(dir.resolve("fake.hdf5"), "this is not HDF5 at all, just some text to read");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> VectorFiles.readVectors(file, 10, ProgressListener.NONE));
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains("not an HDF5 file"), e.getMessage());
  }
}
