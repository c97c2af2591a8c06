package io.vers.flat;

import io.vers.api.Metric;
import io.vers.api.SearchResult;
import io.vers.spi.IdMap;
import io.vers.spi.NeighborQueue;
import io.vers.spi.Parallel;
import io.vers.spi.SearchSupport;
import io.vers.spi.simd.BlockDistance;
import io.vers.spi.simd.Kernels;
import io.vers.spi.storage.VectorStore;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The exact scan of a {@link FlatIndex}'s float vectors, single and batched: blocks of queries against
 * tiles of stored vectors with {@link BlockDistance} (see {@link FlatIndex}'s class comment). The caller
 * holds the index's read lock and passes its current vector store.
 */
final class FlatBlockScan {
  /** Stored vectors per kernel call of a single search. */
  private static final int TILE = 256;

  /** Bytes of stored vectors per kernel call of a batch, kept in the L2 cache with the query block. */
  private static final int TILE_BYTES = 128 * 1024;

  /** Bytes of queries a worker keeps in its block: about a quarter of a typical L2 cache. */
  private static final int BLOCK_BYTES = 256 * 1024;

  /** The most queries in a worker block, whatever their dimension. */
  private static final int MAX_BLOCK = 240;

  /** Bytes of stored vectors that every block of a panel scans in turn, kept in the L3 cache. */
  private static final int SPAN_BYTES = 2 * 1024 * 1024;

  /** The most queries in a panel. */
  private static final int MAX_PANEL = 1024;

  /** The most heap entries of a panel's queries together. */
  private static final int PANEL_ENTRIES = 1 << 20;

  private final int dimension;
  private final Metric metric;
  private final IdMap ids;

  FlatBlockScan(int dimension, Metric metric, IdMap ids) {
    this.dimension = dimension;
    this.metric = metric;
    this.ids = ids;
  }

  /** The nearest {@code k} within {@code maxDistance} that {@code filter} accepts: a block of one query. */
  List<SearchResult> nearest(VectorStore vectors, float[] q, int k, float maxDistance, LongPredicate filter) {
    int n = vectors.size();
    NeighborQueue best = new NeighborQueue(initialCapacity(k, n), true);
    BlockScan one = new BlockScan(vectors, 1, 1, Math.min(TILE, Math.max(n, 1)), k, maxDistance);
    one.heaps[0] = best;
    one.scan(q, 0, 1, 0, filter, 0, n);
    return best.drainToResults(ids::idOf);
  }

  static int initialCapacity(int k, int n) {
    return Math.min(k, Math.max(Math.min(n, 1024), 1));
  }

  /**
   * Checked, stored-form queries, row-major, under one read lock. Each thread takes a panel of queries
   * at a time (with a heap for each) and walks the stored vectors span by span; every block of the panel
   * scans a span in turn, tile by tile, so each stored vector comes from memory once per panel and from
   * the L3 cache for the other blocks.
   */
  void batch(VectorStore vectors, float[] packed, int count, int k, LongPredicate filter, int threads,
      SearchSupport.BatchFill fill) {
    int step = BlockDistance.QUERIES;
    int most = Math.max(1 + step, Math.min(MAX_BLOCK, BLOCK_BYTES / (Float.BYTES * dimension)));
    int block = 1 + (most - 1) / step * step;
    int panel = (int) Math.min((count + (long) threads - 1) / threads,
        Math.max(block, Math.min(MAX_PANEL, PANEL_ENTRIES / ((long) k + 1))));
    int tile = Math.max(BlockDistance.VECTORS,
        Math.min(1024, TILE_BYTES / (Float.BYTES * dimension)) / BlockDistance.VECTORS * BlockDistance.VECTORS);
    int span = Math.max(tile, SPAN_BYTES / (Float.BYTES * dimension) / tile * tile);
    int n = vectors.size();
    if (n == 0 || count == 0) {
      return;
    }
      int workers = (int) Math.min(threads, (count + (long) panel - 1) / panel);
      BlockScan[] scratch = new BlockScan[workers];
      Parallel.forEachBlock(count, workers, panel, (worker, from, to) -> {
        BlockScan scan = scratch[worker];
        if (scan == null) {
          scan = new BlockScan(vectors, panel, Math.min(block, panel), Math.min(tile, n), k, Float.POSITIVE_INFINITY);
          for (int j = 0; j < panel; j++) {
            scan.heaps[j] = new NeighborQueue(initialCapacity(k, n), true);
          }
          scratch[worker] = scan;
        }
        for (int start = 0; start < n; start += span) {
          int end = Math.min(n, start + span);
          for (int b = from; b < to; b += block) {
            scan.scan(packed, b * dimension, Math.min(block, to - b), b - from, filter, start, end);
          }
        }
        for (int j = 0; j < to - from; j++) {
          scan.drain(j, from + j, fill);
        }
      });
  }

  /**
   * One thread's scan of the stored vectors for a panel of queries: its kernel, a tile of distances for
   * a block of the panel, the accepted flags of the tile, and a bounded heap per query of the panel.
   * Reused for each panel the thread takes; the caller holds the read lock.
   */
  private final class BlockScan {
    final NeighborQueue[] heaps;
    private final VectorStore vectors;
    private final BlockDistance kernel = Kernels.get().block(metric, dimension);
    private final float[] distances;
    private final boolean[] accepted;
    private final int tile;
    private final int k;
    private final float maxDistance;
    private long[] entries = new long[0];

    BlockScan(VectorStore vectors, int queries, int block, int tile, int k, float maxDistance) {
      this.vectors = vectors;
      this.heaps = new NeighborQueue[queries];
      this.tile = tile;
      this.distances = new float[block * tile];
      this.accepted = new boolean[tile];
      this.k = k;
      this.maxDistance = maxDistance;
    }

    /**
     * Pushes every stored vector in {@code [from, to)} that {@code filter} accepts into the heaps of
     * queries {@code [first, first + count)} of the panel, which are read from {@code queries} at
     * {@code offset}; {@code count} is at most a block.
     */
    void scan(float[] queries, int offset, int count, int first, LongPredicate filter, int from, int to) {
      for (int start = from; start < to; ) {
        int end = pageEnd(vectors, start, Math.min(to, start + tile));
        float[] page = vectors.page(start);
        int base = vectors.offset(start);
        int size = end - start;
        if (filter == null) {
          kernel.distances(queries, offset, count, page, base, size, distances, 0, tile);
        } else {
          for (int i = 0; i < size; i++) {
            accepted[i] = filter.test(ids.idOf(start + i));
          }
          for (int i = 0; i < size; ) {
            if (!accepted[i]) {
              i++;
              continue;
            }
            int run = i + 1;
            while (run < size && accepted[run]) {
              run++;
            }
            kernel.distances(queries, offset, count, page, base + i * dimension, run - i, distances, i, tile);
            i = run;
          }
        }
        for (int j = 0; j < count; j++) {
          push(heaps[first + j], j * tile, start, size, filter != null);
        }
        start = end;
      }
    }

    /** Offers the tile's distances of one query, from {@code distances[at]}, to its heap. */
    private void push(NeighborQueue heap, int at, int start, int size, boolean filtered) {
      float bound = heap.size() >= k ? Math.min(maxDistance, heap.topDistance()) : maxDistance;
      for (int i = 0; i < size; i++) {
        float d = distances[at + i];
        if (d <= bound && (!filtered || accepted[i])) {
          heap.insertWithOverflow(start + i, d, k);
          if (heap.size() >= k) {
            bound = Math.min(maxDistance, heap.topDistance());
          }
        }
      }
    }

    /** Moves query {@code j}'s results, nearest first, into row {@code row} of {@code fill}. */
    void drain(int j, int row, SearchSupport.BatchFill fill) {
      NeighborQueue heap = heaps[j];
      int size = heap.size();
      if (entries.length < size) {
        entries = new long[size];
      }
      for (int i = 0; i < size; i++) {
        entries[i] = heap.entryAt(i);
      }
      heap.clear();
      Arrays.sort(entries, 0, size);
      for (int r = 0; r < size; r++) {
        long e = entries[r];
        fill.set(row, r, ids.idOf(NeighborQueue.decodeOrdinal(e)), NeighborQueue.decodeDistance(e));
      }
    }
  }

  /** The end of the run from {@code start} below {@code end} whose vectors lie in one page. */
  private static int pageEnd(VectorStore vectors, int start, int end) {
    float[] page = vectors.page(start);
    if (vectors.page(end - 1) == page) {
      return end;
    }
    int lo = start;
    int hi = end - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (vectors.page(mid) == page) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }
}
