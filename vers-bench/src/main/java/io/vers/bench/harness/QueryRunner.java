package io.vers.bench.harness;

/** One configured way to run a query. Not thread-safe. */
@FunctionalInterface
public interface QueryRunner {
  /**
   * Finds the {@code k} nearest base vectors to {@code query}.
   *
   * @param out receives their ids (base ordinals), nearest first; has room for {@code k}
   * @return the number of ids written
   */
  int search(float[] query, int k, long[] out);
}
