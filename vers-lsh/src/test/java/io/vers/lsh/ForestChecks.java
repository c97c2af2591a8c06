package io.vers.lsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.spi.storage.VectorStore;
import java.util.Arrays;

/** Structural invariants of a forest, checked by walking it from the roots. */
final class ForestChecks {
  private ForestChecks() {}

  /**
   * Every ordinal below {@code size} sits in exactly one leaf of each tree (and {@code leafOf} says
   * which), every node is reached once, and no leaf holds more than {@code maxLeafSize} points unless
   * they are all identical.
   */
  static void check(Forest f, VectorStore vectors, int size) {
    int[] count = new int[size * f.numTrees];
    boolean[] nodeSeen = new boolean[f.nodeCount];
    boolean[] leafSeen = new boolean[f.leafCount];
    int[] stack = new int[f.nodeCount + f.leafCount + 1];
    for (int t = 0; t < f.numTrees; t++) {
      int top = 0;
      stack[top++] = f.roots[t];
      while (top > 0) {
        int ref = stack[--top];
        if (ref >= 0) {
          assertTrue(ref < f.nodeCount, "node " + ref + " out of range");
          assertTrue(!nodeSeen[ref], "node " + ref + " reached twice");
          nodeSeen[ref] = true;
          stack[top++] = f.children[2 * ref];
          stack[top++] = f.children[2 * ref + 1];
          continue;
        }
        int leaf = ~ref;
        assertTrue(!leafSeen[leaf], "leaf " + leaf + " reached twice");
        leafSeen[leaf] = true;
        int start = f.leafStart[leaf];
        int n = f.leafSize[leaf];
        assertTrue(n <= f.leafCapacity[leaf], "leaf " + leaf + " overflows its region");
        for (int i = start; i < start + n; i++) {
          int ord = f.pool[i];
          assertTrue(ord >= 0 && ord < size, "leaf " + leaf + " holds ordinal " + ord + " of " + size);
          count[ord * f.numTrees + t]++;
          assertEquals(leaf, f.leafOf[ord * f.numTrees + t], "leafOf of ordinal " + ord + " in tree " + t);
        }
        if (n > f.maxLeafSize) {
          float[] first = vectors.get(f.pool[start]);
          for (int i = start + 1; i < start + n; i++) {
            assertTrue(Arrays.equals(first, vectors.get(f.pool[i])),
                "leaf " + leaf + " holds " + n + " > " + f.maxLeafSize + " points that are not all identical");
          }
        }
      }
    }
    for (int slot = 0; slot < count.length; slot++) {
      assertEquals(1, count[slot], "ordinal " + slot / f.numTrees + " in tree " + slot % f.numTrees);
    }
  }
}
