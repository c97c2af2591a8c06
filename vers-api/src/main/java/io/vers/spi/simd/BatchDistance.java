package io.vers.spi.simd;

import io.vers.api.Metric;
import io.vers.spi.storage.VectorStore;

/**
 * Distances from one query to many stored vectors, computed several at a time. A graph search reads
 * vectors scattered over the heap, so its cost is memory latency; streaming up to
 * {@value #WIDTH} vectors in one loop keeps that many memory streams in flight at once, where a
 * one-vector kernel waits for each in turn (the JVM has no prefetch instruction).
 *
 * <p>The SIMD implementation is used when vers selected its Vector API kernel
 * ({@link Kernels#get()}); otherwise distances go one by one through {@link Metric}. Get one from
 * {@link Kernels#batch}. Every
 * vector's sum is accumulated in the same order whatever the batch it falls in, so a distance does not
 * depend on how the calls were grouped. Stateless; thread-safe.
 */
public abstract class BatchDistance {
  /** The most vectors streamed together. */
  public static final int WIDTH = 8;


  /**
   * Sets {@code out[i]} to the distance between the query (stored form, {@code dimension} floats of
   * {@code query} from {@code queryOffset}) and vector {@code nodes[from + i]}, for {@code i < count}.
   */
  public abstract void distances(float[] query, int queryOffset, int[] nodes, int from, int count, float[] out);

  /** {@link #distances} for a whole-array query and {@code nodes[0 .. count)}. */
  public final void distances(float[] query, int[] nodes, int count, float[] out) {
    distances(query, 0, nodes, 0, count, out);
  }

  /** The distance between a query and vector {@code node}, as {@link #distances} computes it. */
  public abstract float distance(float[] query, int queryOffset, int node);

  /** {@link #distance(float[], int, int)} for a whole-array query. */
  public final float distance(float[] query, int node) {
    return distance(query, 0, node);
  }

  /** The distance between stored vectors {@code a} and {@code b}. */
  public final float between(VectorStore vectors, int a, int b) {
    return distance(vectors.page(a), vectors.offset(a), b);
  }

  /** One vector at a time, through {@link Metric}. */
  static final class Plain extends BatchDistance {
    private final VectorStore vectors;
    private final Metric metric;

    Plain(VectorStore vectors, Metric metric) {
      this.vectors = vectors;
      this.metric = metric;
    }

    @Override
    public void distances(float[] query, int queryOffset, int[] nodes, int from, int count, float[] out) {
      for (int i = 0; i < count; i++) {
        out[i] = distance(query, queryOffset, nodes[from + i]);
      }
    }

    @Override
    public float distance(float[] query, int queryOffset, int node) {
      return metric.distance(query, queryOffset, vectors.page(node), vectors.offset(node), vectors.dimension());
    }
  }
}
