package io.vers.hnsw;

import io.vers.api.Metric;
import io.vers.spi.simd.BatchDistance;
import io.vers.spi.simd.Kernels;
import io.vers.spi.storage.CodeStore;
import io.vers.spi.storage.ScalarQuantizer;
import io.vers.spi.storage.VectorStore;

/**
 * Distances from a query to stored nodes, over the float vectors ({@link Floats}) or over sq8 codes
 * ({@link Codes}). A query is whatever {@link #query} or {@link #nodeQuery} made of a vector: the vector
 * itself for floats, the {@linkplain ScalarQuantizer#prepare prepared} form ({@code dimension + 2} floats)
 * for codes. Stateless apart from the stores read; thread-safe.
 */
interface NodeDistance {
  /**
   * Sets {@code out[i]} to the distance between the query at {@code query[queryOffset ..]} and node
   * {@code nodes[from + i]}, for {@code i < count}.
   */
  void distances(float[] query, int queryOffset, int[] nodes, int from, int count, float[] out);

  /** {@link #distances} for a whole-array query and {@code nodes[0 .. count)}. */
  default void distances(float[] query, int[] nodes, int count, float[] out) {
    distances(query, 0, nodes, 0, count, out);
  }

  /** The distance between the query at {@code query[queryOffset ..]} and node {@code node}. */
  float distance(float[] query, int queryOffset, int node);

  /** {@link #distance(float[], int, int)} for a whole-array query. */
  default float distance(float[] query, int node) {
    return distance(query, 0, node);
  }

  /**
   * The query for a vector in stored form: the vector itself, or its prepared form written to the
   * scratch's query buffer.
   */
  float[] query(float[] vector, SearchScratch scratch);

  /** {@return the floats a query takes} */
  int queryLength();

  /**
   * Makes stored node {@code node} the query: sets {@link SearchScratch#nodeQuery} and returns the
   * offset of the query in it. The floats are read in place; codes are decoded and prepared in the
   * scratch's buffers, valid until the next call.
   */
  int nodeQuery(int node, SearchScratch scratch);

  /** Over float vectors, with the batched kernel. */
  final class Floats implements NodeDistance {
    private final VectorStore vectors;
    private final BatchDistance batch;

    Floats(VectorStore vectors, Metric metric) {
      this.vectors = vectors;
      this.batch = Kernels.get().batch(vectors, metric);
    }

    @Override
    public void distances(float[] query, int queryOffset, int[] nodes, int from, int count, float[] out) {
      batch.distances(query, queryOffset, nodes, from, count, out);
    }

    @Override
    public float distance(float[] query, int queryOffset, int node) {
      return batch.distance(query, queryOffset, node);
    }

    @Override
    public float[] query(float[] vector, SearchScratch scratch) {
      return vector;
    }

    @Override
    public int queryLength() {
      return vectors.dimension();
    }

    @Override
    public int nodeQuery(int node, SearchScratch scratch) {
      scratch.nodeQuery = vectors.page(node);
      return vectors.offset(node);
    }
  }

  /**
   * Over sq8 codes: the metric's distance between the float query and the vector the codes stand for
   * ({@link ScalarQuantizer#distance}).
   */
  final class Codes implements NodeDistance {
    private final CodeStore codes;
    private final ScalarQuantizer quantizer;
    private final Metric metric;
    private final int dimension;

    Codes(CodeStore codes, ScalarQuantizer quantizer, Metric metric) {
      this.codes = codes;
      this.quantizer = quantizer;
      this.metric = metric;
      this.dimension = quantizer.dimension();
    }

    @Override
    public void distances(float[] query, int queryOffset, int[] nodes, int from, int count, float[] out) {
      codes.distances(metric, query, queryOffset, nodes, from, count, out);
    }

    @Override
    public float distance(float[] query, int queryOffset, int node) {
      return codes.distance(metric, query, queryOffset, node);
    }

    @Override
    public float[] query(float[] vector, SearchScratch scratch) {
      float[] buffer = scratch.prepared(dimension + 2);
      quantizer.prepare(vector, 0, buffer, 0);
      return buffer;
    }

    @Override
    public int queryLength() {
      return dimension + 2;
    }

    @Override
    public int nodeQuery(int node, SearchScratch scratch) {
      float[] decoded = scratch.decoded(dimension);
      codes.decode(quantizer, node, decoded, 0);
      float[] prepared = scratch.nodePrepared(dimension + 2);
      quantizer.prepare(decoded, 0, prepared, 0);
      scratch.nodeQuery = prepared;
      return 0;
    }
  }
}
