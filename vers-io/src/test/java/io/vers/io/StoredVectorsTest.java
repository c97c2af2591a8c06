package io.vers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexSnapshot;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SnapshotArray;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A file cannot bring in vectors that {@code add} would refuse: a saved file whose vectors were
 * changed (and its checksums made to match) loads only if every vector is one the index could hold.
 */
class StoredVectorsTest {
  private static final int N = 300;
  private static final int DIM = 8;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"flat", "hnsw", "ivfflat", "lsh"})
  void theUnchangedCopyLoadsAndSearchesAlike(String algorithm) throws IOException {
    for (Metric metric : new Metric[] {Metric.L2, Metric.COSINE}) {
      Index index = build(algorithm, metric);
      Index loaded = saveAndLoad(replaced(index.snapshot(), "vectors", index.snapshot().floats("vectors")));
      float[] query = {1, -1, 0.5f, 0, 2, 0, -0.5f, 1};
      assertEquals(index.search(query, 5), loaded.search(query, 5), algorithm + " " + metric);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"flat", "hnsw", "ivfflat", "lsh"})
  void cosineVectorsThatAreNotUnitLengthAreRefused(String algorithm) throws IOException {
    IndexSnapshot s = build(algorithm, Metric.COSINE).snapshot();
    float[] scaled = s.floats("vectors").clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= 50;
    }
    CorruptIndexException e = assertThrows(CorruptIndexException.class,
        () -> saveAndLoad(replaced(s, "vectors", scaled)), algorithm);
    assertTrue(e.getMessage().contains("COSINE indexes store unit vectors"), e.getMessage());
    assertTrue(e.getMessage().contains(algorithm + " snapshot"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"flat", "hnsw", "ivfflat", "lsh"})
  void vectorsWhoseDistancesWouldOverflowAreRefused(String algorithm) throws IOException {
    IndexSnapshot s = build(algorithm, Metric.L2).snapshot();
    float[] huge = s.floats("vectors").clone();
    for (int i = 5 * DIM; i < 7 * DIM; i++) { // two vectors 1e20 times longer: finite, but not their distances
      huge[i] *= 1e20f;
    }
    CorruptIndexException e = assertThrows(CorruptIndexException.class,
        () -> saveAndLoad(replaced(s, "vectors", huge)), algorithm);
    assertTrue(e.getMessage().contains(" 5 has a squared norm of "), e.getMessage());
  }

  private static Index build(String algorithm, Metric metric) {
    Random random = new Random(11);
    Index index = Indexes.create(algorithm, DIM, metric, Map.of());
    for (int i = 0; i < N; i++) {
      float[] v = new float[DIM];
      for (int j = 0; j < DIM; j++) {
        v[j] = (float) random.nextGaussian();
      }
      index.add(i, v);
    }
    return index;
  }

  /** {@code s} with the array {@code name} replaced by {@code values}. */
  private static IndexSnapshot replaced(IndexSnapshot s, String name, Object values) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(s.algorithm(), s.stateVersion(), s.dimension(), s.metric(),
        s.size());
    s.parameters().forEach(b::parameter);
    s.scalars().forEach(b::scalar);
    for (Map.Entry<String, SnapshotArray> e : s.arrays().entrySet()) {
      b.array(e.getKey(), e.getKey().equals(name) ? values : e.getValue().toArray());
    }
    return b.build();
  }

  private Index saveAndLoad(IndexSnapshot s) throws IOException {
    Path file = dir.resolve(s.algorithm() + ".vers");
    IndexIO.saveSnapshot(s, file);
    return IndexIO.load(file);
  }
}
