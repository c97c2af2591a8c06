package io.vers.hnsw;

import io.vers.api.util.RamUsage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The links of an HNSW graph, by int ordinal; no object per node.
 *
 * <h2>Layout</h2>
 * Level 0 lives in fixed-size pages of {@code int}: each node owns a section of {@code 1 + 2m} ints, a
 * header followed by its neighbour slots, and the page ends with one tombstone bit per node. A node on
 * level {@code L > 0} also owns one {@code int[]} of {@code L} sections of {@code 1 + m} ints, for
 * levels 1 to L. Pages never move, so growing the graph never copies or loses a concurrent write; only
 * the small page directories are copied.
 *
 * <h2>Concurrency</h2>
 * Each section header packs the neighbour count (low {@value #COUNT_BITS} bits) with a sequence number
 * that makes the section a sequence lock: a writer makes the sequence odd, writes the slots and
 * publishes the new count with an even sequence; {@link #copyNeighbors} copies the slots and retries if
 * the header changed meanwhile, so a reader always sees one whole neighbour list, and never blocks
 * except while a writer is between those two header writes. Writers to one node are serialised by
 * {@link #lock(int)} (striped monitors); structural changes ({@link #ensureCapacity},
 * {@link #initNode}) are serialised by the caller. Tombstone bits are updated with compare-and-set.
 */
final class HnswGraph {
  /** The highest level a node can have. */
  static final int MAX_LEVEL = 62;
  static final int COUNT_BITS = 12;
  static final int COUNT_MASK = (1 << COUNT_BITS) - 1;
  private static final int SEQ_UNIT = 1 << COUNT_BITS;
  private static final int WRITING = SEQ_UNIT;
  private static final int LOCK_STRIPES = 1024;
  /** {@link #entry()} of a graph without nodes. */
  static final long NO_ENTRY = -1L;

  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

  private final int m;
  private final int stride0;
  private final int strideUp;
  private final int shift;
  private final int pageMask;
  private final int bitsOffset;
  private final int pageInts;
  private final Object[] locks;

  private volatile int[][] level0 = new int[0][];
  private volatile int[][][] upper = new int[0][][];
  private volatile int pages;
  private volatile int size;
  private volatile long entry = NO_ENTRY;
  private volatile long upperBytes;

  HnswGraph(int m) {
    this.m = m;
    this.stride0 = 1 + 2 * m;
    this.strideUp = 1 + m;
    int nodesPerPage = Integer.highestOneBit(Math.max(1, 16384 / stride0));
    this.shift = Math.max(5, Math.min(16, Integer.numberOfTrailingZeros(nodesPerPage)));
    this.pageMask = (1 << shift) - 1;
    this.bitsOffset = (1 << shift) * stride0;
    this.pageInts = bitsOffset + ((1 << shift) >>> 5);
    this.locks = new Object[LOCK_STRIPES];
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  int m() {
    return m;
  }

  /** The number of node ordinals in use, {@code 0 .. size() - 1}, tombstones included. */
  int size() {
    return size;
  }

  /** Publishes {@code size} ordinals; each must have been {@link #initNode initialised}. */
  void setSize(int size) {
    this.size = size;
  }

  /** The monitor that serialises writes to {@code node}'s neighbour lists. Held briefly, never nested. */
  Object lock(int node) {
    return locks[node & (LOCK_STRIPES - 1)];
  }

  // ------------------------------------------------------------------ entry point

  /** The entry point packed as {@code level << 32 | node}, or {@link #NO_ENTRY}. */
  long entry() {
    return entry;
  }

  void setEntry(int node, int level) {
    entry = pack(node, level);
  }

  void clearEntry() {
    entry = NO_ENTRY;
  }

  static long pack(int node, int level) {
    return ((long) level << 32) | (node & 0xFFFFFFFFL);
  }

  static int entryNode(long entry) {
    return (int) entry;
  }

  static int entryLevel(long entry) {
    return (int) (entry >> 32);
  }

  // ------------------------------------------------------------------ structure

  /** Makes room for ordinals below {@code nodes}. Callers serialise structural changes. */
  void ensureCapacity(int nodes) {
    int needed = (int) (((long) nodes + pageMask) >>> shift);
    if (needed <= pages) {
      return;
    }
    int[][] l0 = level0;
    int[][][] up = upper;
    if (needed > l0.length) {
      int length = Math.max(needed, l0.length + (l0.length >>> 1) + 4);
      l0 = Arrays.copyOf(l0, length);
      up = Arrays.copyOf(up, length);
    }
    for (int p = pages; p < needed; p++) {
      l0[p] = new int[pageInts];
      up[p] = new int[1 << shift][];
    }
    pages = needed;
    upper = up;
    level0 = l0;
  }

  /**
   * Gives {@code node} empty neighbour lists on levels 0 to {@code level}, and clears its tombstone bit
   * unless {@code deleted}. The node must not be reachable by readers; callers serialise structural
   * changes.
   */
  void initNode(int node, int level, boolean deleted) {
    int[] page = level0[node >>> shift];
    int base = (node & pageMask) * stride0;
    int h = page[base];
    INTS.setRelease(page, base, (h + 2 * SEQ_UNIT) & ~COUNT_MASK);
    setUpper(node, level == 0 ? null : new int[level * strideUp]);
    setDeleted(node, deleted);
  }

  /** Drops {@code node}'s upper levels, leaving an empty level-0 list. The node must be unreachable. */
  void clearNode(int node) {
    int[] page = level0[node >>> shift];
    int base = (node & pageMask) * stride0;
    int h = page[base];
    INTS.setRelease(page, base, (h + 2 * SEQ_UNIT) & ~COUNT_MASK);
    setUpper(node, null);
  }

  private void setUpper(int node, int[] links) {
    int[][] page = upper[node >>> shift];
    int local = node & pageMask;
    int[] old = page[local];
    upperBytes += RamUsage.sizeOf(links) - RamUsage.sizeOf(old);
    page[local] = links;
  }

  /** The highest level {@code node} is on. */
  int level(int node) {
    int[] links = upper[node >>> shift][node & pageMask];
    return links == null ? 0 : links.length / strideUp;
  }

  // ------------------------------------------------------------------ neighbour lists

  /**
   * Copies {@code node}'s neighbours on {@code level} into {@code dst} (which holds at least
   * {@code 2m} ints) and returns their number. Lock-free; sees one whole list.
   */
  int copyNeighbors(int node, int level, int[] dst) {
    if (level == 0) {
      return readList(level0[node >>> shift], (node & pageMask) * stride0, dst);
    }
    return readList(upper[node >>> shift][node & pageMask], (level - 1) * strideUp, dst);
  }

  private static int readList(int[] links, int base, int[] dst) {
    for (int spins = 0; ; spins++) {
      int header = (int) INTS.getAcquire(links, base);
      if ((header & WRITING) == 0) {
        int count = header & COUNT_MASK;
        for (int i = 0; i < count; i++) {
          dst[i] = links[base + 1 + i];
        }
        VarHandle.acquireFence();
        if ((int) INTS.getOpaque(links, base) == header) {
          return count;
        }
      }
      if (spins > 64) {
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  /** Replaces {@code node}'s neighbours on {@code level}. The caller holds {@link #lock(int) lock(node)}. */
  void setNeighbors(int node, int level, int[] src, int count) {
    setNeighbors(node, level, src, 0, count);
  }

  /** As {@link #setNeighbors(int, int, int[], int)}, from {@code src[srcOffset]}. */
  void setNeighbors(int node, int level, int[] src, int srcOffset, int count) {
    int[] links;
    int base;
    if (level == 0) {
      links = level0[node >>> shift];
      base = (node & pageMask) * stride0;
    } else {
      links = upper[node >>> shift][node & pageMask];
      base = (level - 1) * strideUp;
    }
    int writing = links[base] + SEQ_UNIT;
    INTS.setOpaque(links, base, writing);
    VarHandle.storeStoreFence();
    System.arraycopy(src, srcOffset, links, base + 1, count);
    INTS.setRelease(links, base, ((writing + SEQ_UNIT) & ~COUNT_MASK) | count);
  }

  /**
   * Appends {@code neighbor} to {@code node}'s list on {@code level}, which must have room. The caller
   * holds {@link #lock(int) lock(node)}. Readers see the list before or after, never without a count.
   */
  void appendNeighbor(int node, int level, int neighbor) {
    int[] links;
    int base;
    if (level == 0) {
      links = level0[node >>> shift];
      base = (node & pageMask) * stride0;
    } else {
      links = upper[node >>> shift][node & pageMask];
      base = (level - 1) * strideUp;
    }
    int header = links[base];
    int count = header & COUNT_MASK;
    links[base + 1 + count] = neighbor;
    INTS.setRelease(links, base, ((header + 2 * SEQ_UNIT) & ~COUNT_MASK) | (count + 1));
  }

  // ------------------------------------------------------------------ tombstones

  /** Whether {@code node} is a tombstone: traversed by searches but never returned. */
  boolean isDeleted(int node) {
    int[] page = level0[node >>> shift];
    int local = node & pageMask;
    return (page[bitsOffset + (local >>> 5)] & (1 << local)) != 0;
  }

  /** Sets or clears {@code node}'s tombstone bit; safe against concurrent updates of other bits. */
  void setDeleted(int node, boolean deleted) {
    int[] page = level0[node >>> shift];
    int local = node & pageMask;
    int index = bitsOffset + (local >>> 5);
    int bit = 1 << local;
    for (; ; ) {
      int word = (int) INTS.getVolatile(page, index);
      int updated = deleted ? word | bit : word & ~bit;
      if (updated == word || INTS.compareAndSet(page, index, word, updated)) {
        return;
      }
    }
  }

  // ------------------------------------------------------------------ accounting

  /** Heap bytes held by the links, tombstone bits, directories and locks. */
  long ramBytesUsed() {
    long bytes = 64 + RamUsage.sizeOfReferenceArray(level0.length) + RamUsage.sizeOfReferenceArray(upper.length);
    bytes += pages * (RamUsage.align(RamUsage.arrayHeader() + 4L * pageInts)
        + RamUsage.sizeOfReferenceArray(1 << shift));
    bytes += upperBytes;
    bytes += RamUsage.sizeOfReferenceArray(LOCK_STRIPES) + LOCK_STRIPES * 16L;
    return bytes;
  }
}
