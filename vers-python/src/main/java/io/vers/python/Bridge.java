package io.vers.python;

import io.vers.api.AddOptions;
import io.vers.api.BatchResults;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * The calls the Python package makes that move arrays: vectors arrive as direct byte buffers over
 * C-contiguous float32 memory that the caller owns (row-major, native byte order), ids as {@code long[]},
 * and answers leave as primitive arrays, so no element crosses between the runtimes one at a time.
 * Nothing here keeps a buffer after the call returns.
 */
public final class Bridge {
  private Bridge() {}

  /** {@code threads} as given, or every core when below 1 (Python's {@code num_threads=-1}). */
  public static int threads(int threads) {
    return threads >= 1 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** The floats of a direct buffer written in this machine's byte order. */
  public static FloatBuffer floats(ByteBuffer bytes) {
    return bytes.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** {@code count} rows of {@code dimension} floats, copied out of {@code data}. */
  public static float[][] rows(ByteBuffer data, int count, int dimension) {
    FloatBuffer floats = floats(data);
    if ((long) count * dimension > floats.remaining()) {
      throw new IllegalArgumentException("the array holds " + floats.remaining() + " floats, not " + count + " x "
          + dimension);
    }
    float[][] rows = new float[count][dimension];
    for (float[] row : rows) {
      floats.get(row);
    }
    return rows;
  }

  /** An index built from a batch (algorithms that train learn from it). */
  public static Index build(String algorithm, int dimension, String metric, Map<String, ?> params, long[] ids,
      ByteBuffer data, int threads) {
    float[][] vectors = rows(data, ids.length, dimension);
    return Indexes.build(algorithm, dimension, Metric.parse(metric), params, ids, vectors,
        AddOptions.threads(threads(threads)));
  }

  /** Adds {@code ids.length} rows of {@code data} under {@code ids}. */
  public static void add(Index index, long[] ids, ByteBuffer data, int threads) {
    index.addAll(ids, rows(data, ids.length, index.dimension()), AddOptions.threads(threads(threads)));
  }

  /** Removes each id; returns how many were present. */
  public static int remove(Index index, long[] ids) {
    int removed = 0;
    for (long id : ids) {
      removed += index.remove(id) ? 1 : 0;
    }
    return removed;
  }

  /**
   * The stored vectors of {@code ids}, row-major.
   *
   * @throws NoSuchElementException naming the first id that is not stored
   */
  public static float[] vectors(Index index, long[] ids) {
    int d = index.dimension();
    float[] out = new float[Math.multiplyExact(ids.length, d)];
    for (int i = 0; i < ids.length; i++) {
      Optional<float[]> v = index.vector(ids[i]);
      if (v.isEmpty()) {
        throw new NoSuchElementException("id " + ids[i] + " is not stored in the index");
      }
      System.arraycopy(v.get(), 0, out, i * d, d);
    }
    return out;
  }

  /** The ids stored now. */
  public static long[] ids(Index index) {
    return index.ids().toArray();
  }

  /** The largest id stored, or -1 for an empty index. */
  public static long maxId(Index index) {
    return index.ids().max().orElse(-1);
  }

  /**
   * Search settings from Python keyword arguments: knobs by name (ints and floats; {@code target_recall}
   * among them), and a filter given as an array of allowed ids or as a predicate.
   */
  public static SearchParams params(Map<String, ? extends Number> knobs, long[] allowed, LongPredicate filter) {
    SearchParams.Builder b = SearchParams.builder();
    knobs.forEach((name, value) -> b.set(name, value.doubleValue()));
    if (allowed != null) {
      long[] sorted = allowed.clone();
      Arrays.sort(sorted);
      b.filter(id -> Arrays.binarySearch(sorted, id) >= 0);
    } else if (filter != null) {
      b.filter(filter);
    }
    return b.build();
  }

  /** {@code count} queries, row-major in {@code queries}, searched in one batch. */
  public static BatchResults search(Index index, ByteBuffer queries, int count, int k, SearchParams params,
      int threads) {
    return index.searchBatch(floats(queries), count, k, params, threads(threads));
  }

  /** A range search: {@code long[]} ids in {@code [0]}, {@code float[]} distances in {@code [1]}, nearest first. */
  public static Object[] range(Index index, ByteBuffer query, float maxDistance, int limit, SearchParams params) {
    float[] q = new float[index.dimension()];
    floats(query).get(q);
    List<SearchResult> hits = index.searchRange(q, maxDistance, limit, params);
    long[] ids = new long[hits.size()];
    float[] distances = new float[hits.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = hits.get(i).id();
      distances[i] = hits.get(i).distance();
    }
    return new Object[] {ids, distances};
  }
}
