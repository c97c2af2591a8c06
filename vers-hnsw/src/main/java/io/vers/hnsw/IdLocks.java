package io.vers.hnsw;

import io.vers.spi.IdMap;
import io.vers.spi.RamUsage;
import java.util.Arrays;

/** Striped monitors that serialise the writes to one id, and the scan of live ids that takes them all. */
final class IdLocks {
  static final int STRIPES = 256;

  private final Object[] locks = new Object[STRIPES];

  IdLocks() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  /** {@return the monitor of {@code id}'s stripe} */
  Object of(long id) {
    long h = id * 0x9E3779B97F4A7C15L;
    return locks[(int) (h >>> 56) & (STRIPES - 1)];
  }

  /** The ids of the live nodes, read holding every stripe (see {@link HnswIndex#ids()}). */
  long[] liveIds(HnswGraph graph, IdMap ids) {
    return liveIds(0, graph, ids);
  }

  /** Takes stripes {@code stripe} and up, then scans the live nodes. */
  private long[] liveIds(int stripe, HnswGraph graph, IdMap ids) {
    if (stripe < STRIPES) {
      synchronized (locks[stripe]) {
        return liveIds(stripe + 1, graph, ids);
      }
    }
    int nodes = graph.size();
    long[] out = new long[nodes];
    int count = 0;
    for (int node = 0; node < nodes; node++) {
      if (!graph.isDeleted(node)) {
        out[count++] = ids.idOf(node);
      }
    }
    return Arrays.copyOf(out, count);
  }

  long ramBytesUsed() {
    return 16 + RamUsage.sizeOfReferenceArray(STRIPES) + STRIPES * 16L;
  }
}
