package io.vers.hnsw;

import io.vers.api.SnapshotArray;
import io.vers.spi.RamUsage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The links of an HNSW graph, by int ordinal; no object per node.
 *
 * <h2>Layout</h2>
 * On level 0 every node owns a section of {@code 1 + 2m} ints: a header, then its neighbour slots.
 * Sections lie in a base segment, one {@code int[]} for the first {@link #baseNodes()} nodes (a
 * restored snapshot's array, adopted as is), then in fixed-size pages for the nodes added later. A node
 * on level {@code L > 0} also owns one {@code int[]} of {@code L} sections of {@code 1 + m} ints, for
 * levels 1 to L. Tombstone bits live in their own pages. Pages never move, so growing the graph never
 * copies or loses a concurrent write; only the small page directories are copied.
 *
 * <h2>Concurrency</h2>
 * Each section header packs the neighbour count (low {@value #COUNT_BITS} bits) with a sequence number
 * that makes the section a sequence lock: a writer makes the sequence odd, writes the slots and
 * publishes the new count with an even sequence; {@link #copyNeighbors} copies the slots and retries if
 * the header changed meanwhile, so a reader always sees one whole neighbour list and never blocks
 * except while a writer is between those two header writes. Writers to one node are serialised by
 * {@link #lock(int)} (striped monitors); structural changes ({@link #ensureCapacity},
 * {@link #initNode}, {@link #clearNode}) are serialised by the caller. Tombstone bits are updated with
 * compare-and-set.
 */
final class HnswGraph {
  /** The highest level a node can have. */
  static final int MAX_LEVEL = 62;
  static final int COUNT_BITS = 12;
  static final int COUNT_MASK = (1 << COUNT_BITS) - 1;
  private static final int SEQ_UNIT = 1 << COUNT_BITS;
  private static final int WRITING = SEQ_UNIT;
  private static final int LOCK_STRIPES = 1024;
  /** Nodes per page of tombstone bits: 256 ints. */
  private static final int BIT_SHIFT = 13;
  /** {@link #entry()} of a graph without nodes. */
  static final long NO_ENTRY = -1L;

  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

  private final int m;
  private final int stride0;
  private final int strideUp;
  private final int shift;
  private final int pageMask;
  private final Object[] locks;
  /** Level-0 sections of nodes {@code 0 .. baseNodes - 1}. */
  private final int[] base;
  private final int baseNodes;

  /** Level-0 pages of nodes from {@link #baseNodes}, by {@code (node - baseNodes) >>> shift}. */
  private volatile int[][] level0 = new int[0][];
  private volatile int pages;
  /** Upper-level arrays by {@code node >>> shift}, then {@code node & pageMask}. */
  private volatile int[][][] upper = new int[0][][];
  private volatile int upperPages;
  private volatile int[][] bits = new int[0][];
  private volatile int bitPages;
  private volatile int capacity;
  private volatile int size;
  private volatile long entry = NO_ENTRY;
  private volatile long upperBytes;

  /** An empty graph. */
  HnswGraph(int m) {
    this(m, new int[0], 0);
  }

  /**
   * A graph whose first {@code baseNodes} level-0 sections are {@code base} ({@code baseNodes * (1 + 2m)}
   * ints, headers holding plain counts), adopted without a copy. Call {@link #initNode} for each node.
   */
  HnswGraph(int m, int[] base, int baseNodes) {
    this.m = m;
    this.stride0 = 1 + 2 * m;
    this.strideUp = 1 + m;
    int nodesPerPage = Integer.highestOneBit(Math.max(1, 16384 / stride0));
    this.shift = Math.max(5, Math.min(16, Integer.numberOfTrailingZeros(nodesPerPage)));
    this.pageMask = (1 << shift) - 1;
    this.base = base;
    this.baseNodes = baseNodes;
    this.locks = new Object[LOCK_STRIPES];
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
    ensureCapacity(baseNodes);
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

  /** Nodes whose level-0 sections are in the base segment. */
  int baseNodes() {
    return baseNodes;
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
    if (nodes <= capacity) {
      return;
    }
    int neededPages = nodes <= baseNodes ? 0 : (int) (((long) nodes - baseNodes + pageMask) >>> shift);
    if (neededPages > pages) {
      int[][] l0 = level0;
      if (neededPages > l0.length) {
        l0 = Arrays.copyOf(l0, Math.max(neededPages, l0.length + (l0.length >>> 1) + 4));
      }
      for (int p = pages; p < neededPages; p++) {
        l0[p] = new int[(1 << shift) * stride0];
      }
      level0 = l0;
      pages = neededPages;
    }
    int neededUpper = (int) (((long) nodes + pageMask) >>> shift);
    if (neededUpper > upperPages) {
      int[][][] up = upper;
      if (neededUpper > up.length) {
        up = Arrays.copyOf(up, Math.max(neededUpper, up.length + (up.length >>> 1) + 4));
      }
      for (int p = upperPages; p < neededUpper; p++) {
        up[p] = new int[1 << shift][];
      }
      upper = up;
      upperPages = neededUpper;
    }
    int neededBits = (int) (((long) nodes + (1 << BIT_SHIFT) - 1) >>> BIT_SHIFT);
    if (neededBits > bitPages) {
      int[][] b = bits;
      if (neededBits > b.length) {
        b = Arrays.copyOf(b, Math.max(neededBits, b.length + (b.length >>> 1) + 4));
      }
      for (int p = bitPages; p < neededBits; p++) {
        b[p] = new int[(1 << BIT_SHIFT) >>> 5];
      }
      bits = b;
      bitPages = neededBits;
    }
    capacity = (int) Math.min(Math.min((long) baseNodes + ((long) pages << shift), (long) upperPages << shift),
        (long) bitPages << BIT_SHIFT);
  }

  /**
   * Gives {@code node} an empty list on level 0 and empty lists on levels 1 to {@code level}, and sets
   * its tombstone bit to {@code deleted}. The node must not be reachable by readers; callers serialise
   * structural changes.
   */
  void initNode(int node, int level, boolean deleted) {
    clearLevel0(node);
    setUpper(node, level == 0 ? null : new int[level * strideUp]);
    setDeleted(node, deleted);
  }

  /**
   * Gives an adopted base node its levels (the level-0 list is kept) and tombstone bit. Callers
   * serialise structural changes.
   */
  void initBaseNode(int node, int level, boolean deleted) {
    setUpper(node, level == 0 ? null : new int[level * strideUp]);
    setDeleted(node, deleted);
  }

  /** Empties {@code node}'s lists and drops its upper levels. The node must be unreachable. */
  void clearNode(int node) {
    clearLevel0(node);
    setUpper(node, null);
  }

  private void clearLevel0(int node) {
    int[] links = level0Array(node);
    int at = level0Offset(node);
    INTS.setRelease(links, at, (links[at] + 2 * SEQ_UNIT) & ~COUNT_MASK);
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

  private int[] level0Array(int node) {
    return node < baseNodes ? base : level0[(node - baseNodes) >>> shift];
  }

  private int level0Offset(int node) {
    return node < baseNodes ? node * stride0 : ((node - baseNodes) & pageMask) * stride0;
  }

  /**
   * The level-0 sections of nodes {@code 0 .. nodes - 1}, {@code nodes * (1 + 2m)} ints: each a plain
   * neighbour count, the neighbours, and zeros in the unused slots, as a snapshot view that reads the
   * graph in place. Valid while no writer runs.
   */
  SnapshotArray level0View(int nodes) {
    long ints = (long) nodes * stride0;
    if (nodes < 0 || nodes > size || ints > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(nodes + " nodes of " + size + " do not fit one snapshot array");
    }
    return SnapshotArray.view(int[].class, (int) ints, (from, dst, length) -> {
      int[] out = (int[]) dst;
      for (int done = 0; done < length; ) {
        int node = (from + done) / stride0;
        int start = from + done - node * stride0; // slot 0 is the header
        int end = Math.min(stride0, start + length - done);
        int[] links = level0Array(node);
        int at = level0Offset(node);
        int count = links[at] & COUNT_MASK;
        int slot = start;
        if (slot == 0) {
          out[done] = count;
          slot = 1;
        }
        int live = Math.min(end, count + 1);
        if (slot < live) {
          System.arraycopy(links, at + slot, out, done + slot - start, live - slot);
          slot = live;
        }
        Arrays.fill(out, done + slot - start, done + end - start, 0);
        done += end - start;
      }
    });
  }

  // ------------------------------------------------------------------ neighbour lists

  /**
   * Copies {@code node}'s neighbours on {@code level} into {@code dst} (which holds at least
   * {@code 2m} ints) and returns their number. Lock-free; sees one whole list.
   */
  int copyNeighbors(int node, int level, int[] dst) {
    if (level == 0) {
      return readList(level0Array(node), level0Offset(node), dst);
    }
    return readList(upper[node >>> shift][node & pageMask], (level - 1) * strideUp, dst);
  }

  /**
   * The header word of {@code node}'s list on {@code level}, read plainly: a search reads it ahead of
   * expanding the node, so that the list is in the cache by then.
   */
  int listHeader(int node, int level) {
    if (level == 0) {
      return level0Array(node)[level0Offset(node)];
    }
    return upper[node >>> shift][node & pageMask][(level - 1) * strideUp];
  }

  private static int readList(int[] links, int at, int[] dst) {
    for (int spins = 0; ; spins++) {
      int header = (int) INTS.getAcquire(links, at);
      if ((header & WRITING) == 0) {
        int count = header & COUNT_MASK;
        for (int i = 0; i < count; i++) {
          dst[i] = links[at + 1 + i];
        }
        VarHandle.acquireFence();
        if ((int) INTS.getOpaque(links, at) == header) {
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
    int[] links = level == 0 ? level0Array(node) : upper[node >>> shift][node & pageMask];
    int at = level == 0 ? level0Offset(node) : (level - 1) * strideUp;
    int writing = links[at] + SEQ_UNIT;
    INTS.setOpaque(links, at, writing);
    VarHandle.storeStoreFence();
    System.arraycopy(src, srcOffset, links, at + 1, count);
    INTS.setRelease(links, at, ((writing + SEQ_UNIT) & ~COUNT_MASK) | count);
  }

  /**
   * Appends {@code neighbor} to {@code node}'s list on {@code level}, which must have room. The caller
   * holds {@link #lock(int) lock(node)}. Readers see the list before or after, never without a count.
   */
  void appendNeighbor(int node, int level, int neighbor) {
    int[] links = level == 0 ? level0Array(node) : upper[node >>> shift][node & pageMask];
    int at = level == 0 ? level0Offset(node) : (level - 1) * strideUp;
    int header = links[at];
    int count = header & COUNT_MASK;
    links[at + 1 + count] = neighbor;
    INTS.setRelease(links, at, ((header + 2 * SEQ_UNIT) & ~COUNT_MASK) | (count + 1));
  }

  // ------------------------------------------------------------------ tombstones

  /** Whether {@code node} is a tombstone: traversed by searches but never returned. */
  boolean isDeleted(int node) {
    return (bits[node >>> BIT_SHIFT][(node >>> 5) & ((1 << (BIT_SHIFT - 5)) - 1)] & (1 << node)) != 0;
  }

  /** Sets or clears {@code node}'s tombstone bit; safe against concurrent updates of other bits. */
  void setDeleted(int node, boolean deleted) {
    int[] page = bits[node >>> BIT_SHIFT];
    int index = (node >>> 5) & ((1 << (BIT_SHIFT - 5)) - 1);
    int bit = 1 << node;
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
    long bytes = 96 + RamUsage.sizeOf(base);
    bytes += RamUsage.sizeOfReferenceArray(level0.length)
        + pages * RamUsage.align(RamUsage.arrayHeader() + 4L * (1 << shift) * stride0);
    bytes += RamUsage.sizeOfReferenceArray(upper.length)
        + upperPages * RamUsage.sizeOfReferenceArray(1 << shift) + upperBytes;
    bytes += RamUsage.sizeOfReferenceArray(bits.length)
        + bitPages * RamUsage.align(RamUsage.arrayHeader() + ((1 << BIT_SHIFT) >>> 3));
    bytes += RamUsage.sizeOfReferenceArray(LOCK_STRIPES) + LOCK_STRIPES * 16L;
    return bytes;
  }
}
