package io.vers.bench.harness;

/** One configured way to run many queries in one call ({@code Index.searchBatch}). */
@FunctionalInterface
public interface BatchRunner {
  /**
   * Finds the {@code k} nearest base vectors of each of {@code count} queries in one call, on up to
   * {@code threads} threads.
   *
   * @param queries the queries row-major: query {@code i} is {@code queries[i * d, (i + 1) * d)}
   * @return {@code count * k} ids (base ordinals), row-major, each row nearest first, padded with -1
   */
  long[] search(float[] queries, int count, int k, int threads);
}
