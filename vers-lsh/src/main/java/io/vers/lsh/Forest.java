package io.vers.lsh;

import io.vers.api.AddOptions;
import io.vers.api.Metric;
import io.vers.spi.Parallel;
import io.vers.spi.Progress;
import io.vers.spi.RamUsage;
import io.vers.spi.simd.BatchDistance;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.VectorKernel;
import io.vers.spi.storage.VectorStore;
import java.util.Arrays;

/**
 * The trees of an {@link LshIndex}, in flat arrays shared by all trees; no object per node or leaf.
 *
 * <ul>
 *   <li>A reference {@code ref >= 0} names internal node {@code ref}; a negative one names leaf
 *       {@code ~ref}. {@link #roots} holds one reference per tree.
 *   <li>Internal node {@code i}: children {@code children[2i]} (margin at most 0) and
 *       {@code children[2i + 1]} (margin above 0); hyperplane: row {@code i} of {@link #planes}, of
 *       {@code stride} floats: the unit normal ({@code dimension} floats), then the offset, so that a
 *       point's margin (its signed distance to the plane) is {@code dot(normal, x) + offset}. Under {@link Metric#DOT} two more
 *       floats follow: the normal's weight on the extra coordinate and the scale that coordinate was
 *       computed with (see {@link #extraCoordinate}).
 *   <li>Leaf {@code l}: {@code leafSize[l]} ordinals at {@code pool[leafStart[l] ...]}, in a region of
 *       {@code leafCapacity[l]} slots. A leaf that outgrows its region moves to a larger one at the end
 *       of the pool; the pool is compacted when more than half of it is abandoned regions.
 *   <li>{@code leafOf[ord * numTrees + t]}: the leaf of tree {@code t} holding ordinal {@code ord}, so
 *       removal needs no search.
 * </ul>
 *
 * <p>Under {@link Metric#DOT} the trees split vectors extended by one coordinate,
 * {@code sqrt(scale^2 - |x|^2)} with {@code scale} the largest norm seen so far, which turns the
 * largest inner product into the smallest Euclidean distance (queries get 0 there). Each plane keeps
 * the scale it was made with, so later, longer vectors only affect planes made after them.
 *
 * <p>Not thread-safe: {@link LshIndex} guards it with its lock.
 */
final class Forest {
  private static final VectorKernel KERNEL = Kernels.get().vector();

  final int dimension;
  final int numTrees;
  final int maxLeafSize;
  final boolean augmented;
  final int stride;

  int[] roots;
  int nodeCount;
  int[] children;
  /** One row of {@code stride} floats per internal node; {@code planes.size() == nodeCount}. */
  VectorStore planes;
  /**
   * Minus the margins of a query extended by a 1 after its {@code dimension} floats (zeros after that)
   * to several planes at a time: the dot products with the rows, as {@link Metric#DOT} distances.
   */
  BatchDistance margins;

  int leafCount;
  int[] leafStart;
  int[] leafSize;
  int[] leafCapacity;
  int[] pool;
  int poolUsed;
  int poolGarbage;

  int[] leafOf;

  /** DOT only: squared norm by ordinal. */
  float[] normSq;
  /** DOT only: the largest norm seen, the scale of new planes' extra coordinate. */
  float scale;

  private Forest(int dimension, Metric metric, int numTrees, int maxLeafSize) {
    this.dimension = dimension;
    this.numTrees = numTrees;
    this.maxLeafSize = maxLeafSize;
    this.augmented = metric == Metric.DOT;
    this.stride = strideFor(dimension, augmented);
  }

  private void setPlanes(VectorStore rows) {
    planes = rows;
    margins = Kernels.get().batch(rows, Metric.DOT);
  }

  static int strideFor(int dimension, boolean augmented) {
    return dimension + (augmented ? 3 : 1);
  }

  /** Trees that are each one empty leaf. */
  static Forest empty(int dimension, Metric metric, int numTrees, int maxLeafSize) {
    Forest f = new Forest(dimension, metric, numTrees, maxLeafSize);
    f.roots = new int[numTrees];
    f.children = new int[0];
    f.setPlanes(new VectorStore(f.stride));
    f.leafCount = numTrees;
    f.leafStart = new int[numTrees];
    f.leafSize = new int[numTrees];
    f.leafCapacity = new int[numTrees];
    f.pool = new int[0];
    f.leafOf = new int[0];
    f.normSq = f.augmented ? new float[0] : null;
    for (int t = 0; t < numTrees; t++) {
      f.roots[t] = ~t;
    }
    return f;
  }

  /** Adopts arrays already validated by {@link LshState}. */
  static Forest adopt(int dimension, Metric metric, int numTrees, int maxLeafSize, int[] roots, int[] children,
      VectorStore planes, int[] leafOffsets, int[] items, int[] leafOf, float scale) {
    Forest f = new Forest(dimension, metric, numTrees, maxLeafSize);
    f.roots = roots;
    f.nodeCount = children.length / 2;
    f.children = children;
    f.setPlanes(planes);
    f.leafCount = leafOffsets.length - 1;
    f.leafStart = Arrays.copyOf(leafOffsets, f.leafCount);
    f.leafSize = new int[f.leafCount];
    for (int l = 0; l < f.leafCount; l++) {
      f.leafSize[l] = leafOffsets[l + 1] - leafOffsets[l];
    }
    f.leafCapacity = f.leafSize.clone();
    f.pool = items;
    f.poolUsed = items.length;
    f.leafOf = leafOf;
    f.normSq = f.augmented ? new float[0] : null;
    f.scale = scale;
    return f;
  }

  // ------------------------------------------------------------------ geometry

  /** The extra coordinate of a point of squared norm {@code normSq} under {@code scale} (DOT). */
  static float extraCoordinate(float scale, float normSq) {
    return (float) Math.sqrt(Math.max(0.0, (double) scale * scale - normSq));
  }

  /** The margin of stored point {@code ord} to the plane at {@code planes[base]}. */
  float pointMargin(float[] planes, int base, VectorStore vectors, int ord) {
    float m = KERNEL.dot(planes, base, vectors.page(ord), vectors.offset(ord), dimension) + planes[base + dimension];
    if (augmented) {
      m += planes[base + dimension + 1] * extraCoordinate(planes[base + dimension + 2], normSq[ord]);
    }
    return m;
  }

  /** Records the norm of ordinal {@code ord} (DOT); call before inserting it. */
  void setNorm(int ord, float squaredNorm) {
    if (!augmented) {
      return;
    }
    if (ord >= normSq.length) {
      normSq = Arrays.copyOf(normSq, grow(normSq.length, ord + 1));
    }
    normSq[ord] = squaredNorm;
    scale = Math.max(scale, (float) Math.sqrt(squaredNorm));
  }

  // ------------------------------------------------------------------ bulk build

  /**
   * Builds every tree over ordinals {@code 0 .. n-1} of {@code vectors}, replacing whatever the trees
   * held. Tree {@code t} draws from its own random stream of {@code seed}, so the result does not depend
   * on how many threads build it.
   */
  void buildAll(VectorStore vectors, int n, long seed, AddOptions options) {
    Subtree[] trees = new Subtree[numTrees];
    int[] identity = new int[n];
    for (int i = 0; i < n; i++) {
      identity[i] = i;
    }
    Progress progress = new Progress(options.progress(), n);
    Parallel.forEachBlock(numTrees, options.threads(), 1, (worker, from, to) -> {
      for (int tree = from; tree < to; tree++) {
        SubtreeBuilder builder = new SubtreeBuilder(this, vectors, SplitMix.forStream(seed, tree));
        trees[tree] = builder.build(identity.clone(), 0, n);
        progress.advance((long) n * (tree + 1) / numTrees - (long) n * tree / numTrees);
      }
    });
    progress.finish();

    int nodes = 0;
    int leaves = 0;
    for (Subtree s : trees) {
      nodes += s.nodeCount;
      leaves += s.leafCount;
    }
    nodeCount = 0;
    children = new int[2 * nodes];
    setPlanes(new VectorStore(stride));
    planes.ensureCapacity(nodes);
    leafCount = 0;
    leafStart = new int[leaves];
    leafSize = new int[leaves];
    leafCapacity = new int[leaves];
    pool = new int[Math.toIntExact((long) n * numTrees)];
    poolUsed = 0;
    poolGarbage = 0;
    leafOf = new int[Math.toIntExact((long) n * numTrees)];
    for (int t = 0; t < numTrees; t++) {
      roots[t] = graft(trees[t], t, -1, false);
      trees[t] = null;
    }
  }

  /**
   * Copies {@code tree} into the forest as part of tree {@code t} and returns the reference of its
   * root. Its first leaf reuses leaf id {@code reuseLeaf} (and its region, when large enough) unless
   * that is -1. Leaves get exactly their size in slots, or room to grow ({@link #roomFor}) when
   * {@code room} is set.
   */
  int graft(Subtree tree, int t, int reuseLeaf, boolean room) {
    int nodeBase = nodeCount;
    ensureNodes(nodeBase + tree.nodeCount);
    for (int node = 0; node < tree.nodeCount; node++) {
      planes.append(tree.planes, node * stride);
    }
    int[] leafIds = new int[tree.leafCount];
    for (int l = 0; l < tree.leafCount; l++) {
      int from = tree.leafFrom[l];
      int size = tree.leafTo[l] - from;
      int capacity = room ? roomFor(size) : size;
      int leaf;
      if (l == 0 && reuseLeaf >= 0) {
        leaf = reuseLeaf;
        if (leafCapacity[leaf] < capacity) {
          poolGarbage += leafCapacity[leaf];
          leafStart[leaf] = allocate(capacity);
          leafCapacity[leaf] = capacity;
        }
      } else {
        leaf = newLeaf(capacity);
      }
      leafIds[l] = leaf;
      leafSize[leaf] = size;
      System.arraycopy(tree.items, from, pool, leafStart[leaf], size);
      for (int i = from; i < from + size; i++) {
        leafOf[tree.items[i] * numTrees + t] = leaf;
      }
    }
    for (int i = 0; i < 2 * tree.nodeCount; i++) {
      int c = tree.children[i];
      children[2 * nodeBase + i] = c >= 0 ? c + nodeBase : ~leafIds[~c];
    }
    nodeCount = nodeBase + tree.nodeCount;
    return tree.root >= 0 ? tree.root + nodeBase : ~leafIds[~tree.root];
  }

  /**
   * The ordinals of tree 0's leaves, leaf after leaf: right after {@link #buildAll} the first
   * {@code n} pool slots hold exactly them.
   */
  int[] firstTreeOrder(int n) {
    return Arrays.copyOf(pool, n);
  }

  /**
   * Renames every ordinal {@code old} to {@code newOf[old]} (a permutation of {@code 0 .. n-1}) and
   * sorts each leaf, so that a leaf's points are read in address order.
   */
  void renumberAll(int[] newOf, int n) {
    for (int l = 0; l < leafCount; l++) {
      int start = leafStart[l];
      int end = start + leafSize[l];
      for (int i = start; i < end; i++) {
        pool[i] = newOf[pool[i]];
      }
      Arrays.sort(pool, start, end);
    }
    int[] moved = new int[leafOf.length];
    for (int old = 0; old < n; old++) {
      System.arraycopy(leafOf, old * numTrees, moved, newOf[old] * numTrees, numTrees);
    }
    leafOf = moved;
    if (augmented) {
      float[] norms = new float[normSq.length];
      for (int old = 0; old < n; old++) {
        norms[newOf[old]] = normSq[old];
      }
      normSq = norms;
    }
  }

  // ------------------------------------------------------------------ updates

  /**
   * Inserts ordinal {@code ord} into every tree: descends to its leaf and adds it there, splitting the
   * leaf when it would exceed {@code maxLeafSize} (unless all its points are identical).
   */
  void insert(VectorStore vectors, int ord, SplitMix random) {
    ensureOrdinal(ord);
    for (int t = 0; t < numTrees; t++) {
      int parent = -1;
      int side = 0;
      int ref = roots[t];
      while (ref >= 0) {
        side = pointMargin(planes.page(ref), planes.offset(ref), vectors, ord) > 0f ? 1 : 0;
        parent = ref;
        ref = children[2 * ref + side];
      }
      int leaf = ~ref;
      int size = leafSize[leaf];
      if (size < maxLeafSize || size > maxLeafSize && identical(vectors, ord, pool[leafStart[leaf]])) {
        append(leaf, ord, t);
      } else {
        splitLeaf(vectors, t, leaf, parent, side, ord, random);
      }
    }
  }

  /**
   * Whether two stored vectors are equal, component by component. A leaf above {@code maxLeafSize}
   * holds identical points only, so a point equal to its first joins it without a split attempt.
   */
  private boolean identical(VectorStore vectors, int a, int b) {
    float[] pa = vectors.page(a);
    float[] pb = vectors.page(b);
    int oa = vectors.offset(a);
    int ob = vectors.offset(b);
    for (int i = 0; i < dimension; i++) {
      if (pa[oa + i] != pb[ob + i]) {
        return false;
      }
    }
    return true;
  }

  private void splitLeaf(VectorStore vectors, int t, int leaf, int parent, int side, int ord, SplitMix random) {
    int size = leafSize[leaf];
    int[] items = new int[size + 1];
    System.arraycopy(pool, leafStart[leaf], items, 0, size);
    items[size] = ord;
    Subtree subtree = new SubtreeBuilder(this, vectors, random).build(items, 0, size + 1);
    if (subtree.root < 0) {
      append(leaf, ord, t);
      return;
    }
    int ref = graft(subtree, t, leaf, true);
    if (parent < 0) {
      roots[t] = ref;
    } else {
      children[2 * parent + side] = ref;
    }
  }

  private void append(int leaf, int ord, int t) {
    int size = leafSize[leaf];
    if (size == leafCapacity[leaf]) {
      relocate(leaf, roomFor(size + 1));
    }
    pool[leafStart[leaf] + size] = ord;
    leafSize[leaf] = size + 1;
    leafOf[ord * numTrees + t] = leaf;
  }

  /** Takes ordinal {@code ord} out of its leaf in every tree. */
  void remove(int ord) {
    for (int t = 0; t < numTrees; t++) {
      int leaf = leafOf[ord * numTrees + t];
      int start = leafStart[leaf];
      int last = start + leafSize[leaf] - 1;
      int i = indexIn(leaf, ord);
      pool[i] = pool[last];
      leafSize[leaf]--;
      leafOf[ord * numTrees + t] = -1;
    }
  }

  /** Renames ordinal {@code from} to {@code to} in every tree (the vector moved to a freed slot). */
  void renumber(int from, int to) {
    for (int t = 0; t < numTrees; t++) {
      int leaf = leafOf[from * numTrees + t];
      pool[indexIn(leaf, from)] = to;
      leafOf[to * numTrees + t] = leaf;
      leafOf[from * numTrees + t] = -1;
    }
    if (augmented) {
      normSq[to] = normSq[from];
    }
  }

  private int indexIn(int leaf, int ord) {
    int start = leafStart[leaf];
    int end = start + leafSize[leaf];
    for (int i = start; i < end; i++) {
      if (pool[i] == ord) {
        return i;
      }
    }
    throw new IllegalStateException("ordinal " + ord + " is missing from leaf " + leaf);
  }

  // ------------------------------------------------------------------ storage

  private void ensureOrdinal(int ord) {
    long needed = (long) (ord + 1) * numTrees;
    if (needed > leafOf.length) {
      leafOf = Arrays.copyOf(leafOf, grow(leafOf.length, Math.toIntExact(needed)));
    }
  }

  private void ensureNodes(int nodes) {
    if (2L * nodes > children.length) {
      int grownNodes = grow(children.length / 2, nodes);
      children = Arrays.copyOf(children, 2 * grownNodes);
    }
  }

  private int newLeaf(int capacity) {
    if (leafCount == leafStart.length) {
      int grown = grow(leafCount, leafCount + 1);
      leafStart = Arrays.copyOf(leafStart, grown);
      leafSize = Arrays.copyOf(leafSize, grown);
      leafCapacity = Arrays.copyOf(leafCapacity, grown);
    }
    int leaf = leafCount++;
    leafStart[leaf] = allocate(capacity);
    leafCapacity[leaf] = capacity;
    leafSize[leaf] = 0;
    return leaf;
  }

  /**
   * Slots for a leaf of {@code size} points that will grow: twice its size (at least 4) up to
   * {@code maxLeafSize}; past that (a leaf of identical points) twice its size.
   */
  private int roomFor(int size) {
    long doubled = Math.max(4L, 2L * size);
    long capacity = size <= maxLeafSize ? Math.max(size, Math.min(maxLeafSize, doubled)) : doubled;
    return (int) Math.min(capacity, Integer.MAX_VALUE - 8);
  }

  /** Moves leaf {@code leaf} to a fresh region of {@code capacity} slots at the end of the pool. */
  private void relocate(int leaf, int capacity) {
    if (poolGarbage > 4096 && poolGarbage > poolUsed / 2) {
      compact();
    }
    int start = allocate(capacity);
    System.arraycopy(pool, leafStart[leaf], pool, start, leafSize[leaf]);
    poolGarbage += leafCapacity[leaf];
    leafStart[leaf] = start;
    leafCapacity[leaf] = capacity;
  }

  private int allocate(int capacity) {
    int start = poolUsed;
    long end = (long) start + capacity;
    if (end > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("the leaves of " + numTrees + " trees outgrew one array; use fewer trees");
    }
    if (end > pool.length) {
      pool = Arrays.copyOf(pool, grow(pool.length, (int) end));
    }
    poolUsed = (int) end;
    return start;
  }

  /** Packs every leaf region (with its capacity) to the front of a new pool, dropping abandoned regions. */
  private void compact() {
    int used = poolUsed - poolGarbage;
    int[] packed = new int[grow(used, used + maxLeafSize)];
    int at = 0;
    for (int l = 0; l < leafCount; l++) {
      System.arraycopy(pool, leafStart[l], packed, at, leafSize[l]);
      leafStart[l] = at;
      at += leafCapacity[l];
    }
    pool = packed;
    poolUsed = at;
    poolGarbage = 0;
  }

  /** A capacity of at least {@code needed}, growing {@code current} by half. */
  static int grow(int current, int needed) {
    long grown = Math.max((long) needed, current + (current >> 1) + 16L);
    return (int) Math.min(grown, Integer.MAX_VALUE - 8);
  }

  /** Heap bytes of every array, including spare capacity. */
  long ramBytesUsed() {
    return RamUsage.align(RamUsage.OBJECT_HEADER + 5 * 4 + 13 * RamUsage.REFERENCE + 1)
        + RamUsage.sizeOf(roots) + RamUsage.sizeOf(children) + planes.ramBytesUsed()
        + RamUsage.sizeOf(leafStart) + RamUsage.sizeOf(leafSize) + RamUsage.sizeOf(leafCapacity)
        + RamUsage.sizeOf(pool) + RamUsage.sizeOf(leafOf) + RamUsage.sizeOf(normSq);
  }
}
