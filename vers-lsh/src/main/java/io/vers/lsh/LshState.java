package io.vers.lsh;

import io.vers.api.CorruptIndexException;
import io.vers.api.IndexParams;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.SnapshotArray;
import io.vers.spi.IdMap;
import io.vers.spi.Vectors;
import io.vers.spi.storage.VectorStore;
import java.util.Arrays;

/**
 * The {@link IndexSnapshot} layout of an {@link LshIndex}, state version 1, and its validation.
 *
 * <p>Parameters: {@code numTrees}, {@code maxLeafSize}, optional {@code searchK}, {@code seed}. Scalars:
 * {@code seed} (exact), {@code randomState} (the generator that splits leaves on later adds),
 * {@code scale} (float bits; DOT's extra-coordinate scale, 0 otherwise). Arrays: {@code ids} (by
 * ordinal), {@code vectors} (stored form, {@code size * dimension}), {@code roots} (one reference per
 * tree), {@code children} (two references per internal node), {@code planes} (one plane per internal
 * node, see {@link Forest}), {@code leafOffsets} and {@code leafItems} (leaf {@code l} holds
 * {@code leafItems[leafOffsets[l] .. leafOffsets[l + 1])}).
 *
 * <p>A snapshot may come from an untrusted file: restoring checks every length, that every reference
 * is in range, that the trees are trees (every node and leaf reached exactly once from the roots, so no
 * cycle and no sharing), that leaves hold valid ordinals, that every ordinal sits in exactly one leaf
 * of each tree, that ids are distinct and that every float is finite.
 */
final class LshState {
  private LshState() {}

  /**
   * Adds the forest to {@code b}, reading its large arrays in place: valid while the forest does not
   * change.
   */
  static void writeForest(Forest f, IndexSnapshot.Builder b) {
    int leaves = f.leafCount;
    int[] offsets = new int[leaves + 1];
    for (int l = 0; l < leaves; l++) {
      offsets[l + 1] = offsets[l] + f.leafSize[l];
    }
    int[] pool = f.pool;
    int[] leafStart = f.leafStart;
    SnapshotArray items = SnapshotArray.view(int[].class, offsets[leaves], (from, dst, count) -> {
      int leaf = Arrays.binarySearch(offsets, 0, leaves, from);
      leaf = leaf >= 0 ? leaf : -leaf - 2;
      for (int done = 0; done < count; leaf++) {
        int skip = from + done - offsets[leaf];
        int n = Math.min(count - done, offsets[leaf + 1] - offsets[leaf] - skip);
        System.arraycopy(pool, leafStart[leaf] + skip, dst, done, n);
        done += n;
      }
    });
    b.scalar("scale", Float.floatToIntBits(f.scale))
        .ints("roots", f.roots.clone())
        .array("children", SnapshotArray.prefix(f.children, 2 * f.nodeCount))
        .array("planes", f.planes.view(f.nodeCount))
        .ints("leafOffsets", offsets)
        .array("leafItems", items);
  }

  static LshIndex restore(IndexSnapshot s) throws CorruptIndexException {
    s.checkAlgorithm(LshIndex.NAME, LshIndex.STATE_VERSION);
    int dimension = s.dimension();
    Metric metric = s.metric();
    int n = s.size();
    IndexParams params = s.resolveParameters(LshIndexProvider.PARAMETERS);
    int numTrees = params.getInt("numTrees");
    int maxLeafSize = params.getInt("maxLeafSize");
    int searchK = params.optionalInt("searchK").orElse(0);
    long seed = s.scalar("seed");
    long randomState = s.scalar("randomState");
    long scaleBits = s.scalar("scale");
    float scale = Float.intBitsToFloat((int) scaleBits);
    if (scaleBits != (int) scaleBits) {
      throw corrupt("scale " + scaleBits + " is not the bits of a float");
    }
    if (!Float.isFinite(scale) || scale < 0 || (metric != Metric.DOT && scale != 0)) {
      throw corrupt("scale " + scale + " is invalid for " + metric);
    }

    long[] idArray = s.longs("ids");
    float[] data = s.floats("vectors");
    if (idArray.length != n || (long) n * dimension != data.length) {
      throw corrupt(n + " vectors of dimension " + dimension + " need " + n + " ids and " + (long) n * dimension
          + " floats; found " + idArray.length + " and " + data.length);
    }
    Vectors.checkStored(data, dimension, metric, "lsh snapshot: vector");
    IdMap ids = new IdMap(n);
    for (int ord = 0; ord < n; ord++) {
      if (ids.put(idArray[ord], ord) >= 0) {
        throw corrupt("id " + idArray[ord] + " appears twice");
      }
    }

    int stride = Forest.strideFor(dimension, metric == Metric.DOT);
    int[] roots = s.ints("roots");
    int[] children = s.ints("children");
    float[] planes = s.floats("planes");
    int[] leafOffsets = s.ints("leafOffsets");
    int[] items = s.ints("leafItems");
    if (roots.length != numTrees) {
      throw corrupt("has " + roots.length + " roots for " + numTrees + " trees");
    }
    if (children.length % 2 != 0 || (long) (children.length / 2) * stride != planes.length) {
      throw corrupt(children.length + " child references and " + planes.length + " plane floats do not describe"
          + " whole nodes of " + stride + " floats");
    }
    for (float x : planes) {
      if (!Float.isFinite(x)) {
        throw corrupt("a plane holds " + x);
      }
    }
    if ((long) n * numTrees != items.length) {
      throw corrupt(numTrees + " trees over " + n + " points need " + (long) n * numTrees + " leaf entries; found "
          + items.length);
    }
    int leaves = leafOffsets.length - 1;
    if (leaves < 0 || leafOffsets[0] != 0 || leafOffsets[leaves] != items.length) {
      throw corrupt("leaf offsets do not span the " + items.length + " leaf entries");
    }
    for (int l = 0; l < leaves; l++) {
      if (leafOffsets[l + 1] < leafOffsets[l]) {
        throw corrupt("leaf " + l + " has a negative size");
      }
    }
    int[] leafTree = checkTrees(roots, children, leaves);
    int[] leafOf = locateOrdinals(leafOffsets, items, leafTree, n, numTrees);
    Forest forest = Forest.adopt(dimension, metric, numTrees, maxLeafSize, roots, children,
        VectorStore.fromArray(stride, planes, planes.length / stride), leafOffsets, items, leafOf, scale);
    return new LshIndex(dimension, metric, numTrees, maxLeafSize, searchK, seed,
        VectorStore.fromArray(dimension, data, n), ids, forest, randomState);
  }

  /**
   * Walks every tree from its root, checking that every reference is in range and that each internal
   * node and leaf is reached exactly once (which rules out cycles and shared subtrees). Returns the
   * tree of each leaf.
   */
  private static int[] checkTrees(int[] roots, int[] children, int leaves) throws CorruptIndexException {
    int nodes = children.length / 2;
    boolean[] nodeSeen = new boolean[nodes];
    int[] leafTree = new int[leaves];
    Arrays.fill(leafTree, -1);
    int[] stack = new int[nodes];
    int reached = 0;
    for (int t = 0; t < roots.length; t++) {
      int top = 0;
      if (reach(roots[t], t, nodeSeen, leafTree)) {
        stack[top++] = roots[t];
        reached++;
      }
      while (top > 0) {
        int node = stack[--top];
        for (int side = 0; side < 2; side++) {
          int child = children[2 * node + side];
          if (reach(child, t, nodeSeen, leafTree)) {
            stack[top++] = child;
            reached++;
          }
        }
      }
    }
    if (reached != nodes) {
      throw corrupt((nodes - reached) + " of " + nodes + " internal nodes are not reachable from any root");
    }
    for (int l = 0; l < leaves; l++) {
      if (leafTree[l] < 0) {
        throw corrupt("leaf " + l + " is not reachable from any root");
      }
    }
    return leafTree;
  }

  /** Marks {@code ref} reached from tree {@code t}; returns whether it is an internal node to expand. */
  private static boolean reach(int ref, int t, boolean[] nodeSeen, int[] leafTree) throws CorruptIndexException {
    if (ref >= 0) {
      if (ref >= nodeSeen.length) {
        throw corrupt("tree " + t + " refers to node " + ref + " of " + nodeSeen.length);
      }
      if (nodeSeen[ref]) {
        throw corrupt("node " + ref + " is reached twice (a cycle or a shared subtree)");
      }
      nodeSeen[ref] = true;
      return true;
    }
    int leaf = ~ref;
    if (leaf >= leafTree.length) {
      throw corrupt("tree " + t + " refers to leaf " + leaf + " of " + leafTree.length);
    }
    if (leafTree[leaf] >= 0) {
      throw corrupt("leaf " + leaf + " is reached twice");
    }
    leafTree[leaf] = t;
    return false;
  }

  /** Checks that each ordinal sits in exactly one leaf of each tree and returns where. */
  private static int[] locateOrdinals(int[] leafOffsets, int[] items, int[] leafTree, int n, int numTrees)
      throws CorruptIndexException {
    int[] leafOf = new int[items.length];
    Arrays.fill(leafOf, -1);
    for (int l = 0; l < leafTree.length; l++) {
      int t = leafTree[l];
      for (int i = leafOffsets[l]; i < leafOffsets[l + 1]; i++) {
        int ord = items[i];
        if (ord < 0 || ord >= n) {
          throw corrupt("leaf " + l + " holds ordinal " + ord + " outside [0, " + n + ")");
        }
        int slot = ord * numTrees + t;
        if (leafOf[slot] >= 0) {
          throw corrupt("ordinal " + ord + " is in two leaves of tree " + t);
        }
        leafOf[slot] = l;
      }
    }
    for (int slot = 0; slot < leafOf.length; slot++) {
      if (leafOf[slot] < 0) {
        throw corrupt("ordinal " + slot / numTrees + " is in no leaf of tree " + slot % numTrees);
      }
    }
    return leafOf;
  }

  private static CorruptIndexException corrupt(String problem) {
    return new CorruptIndexException("lsh snapshot " + problem);
  }
}
