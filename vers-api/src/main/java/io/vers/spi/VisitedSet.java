package io.vers.spi;

import java.util.Arrays;

/**
 * Which ordinals a search has visited, cleared in O(1): each slot holds the epoch in which it was last
 * visited, and {@link #clear(int)} starts a new epoch. Not thread-safe; keep one per thread.
 */
public final class VisitedSet {
  private int[] marks;
  private int epoch = 1;

  public VisitedSet(int capacity) {
    marks = new int[Math.max(1, capacity)];
  }

  /** Starts a new search: nothing is visited. Slots grow to cover {@code capacity} ordinals. */
  public void clear(int capacity) {
    if (capacity > marks.length) {
      marks = Arrays.copyOf(marks, Math.max(capacity, marks.length + (marks.length >>> 1)));
    }
    if (++epoch == Integer.MAX_VALUE) {
      Arrays.fill(marks, 0);
      epoch = 1;
    }
  }

  /**
   * Marks {@code ord} visited.
   *
   * @return whether it was not visited before in this epoch
   */
  public boolean visit(int ord) {
    if (ord >= marks.length) {
      grow(ord);
    }
    if (marks[ord] == epoch) {
      return false;
    }
    marks[ord] = epoch;
    return true;
  }

  public boolean isVisited(int ord) {
    return ord < marks.length && marks[ord] == epoch;
  }

  /** The number of ordinals covered. */
  public int capacity() {
    return marks.length;
  }

  /**
   * Marks {@code nodes[0 .. count)} visited, keeping in place, in order, those not visited before in
   * this epoch; returns how many those are. Branch-free per node, as a walk's fresh neighbours are
   * unpredictable.
   */
  public int visitAll(int[] nodes, int count) {
    int[] m = marks;
    int e = epoch;
    int fresh = 0;
    for (int i = 0; i < count; i++) {
      int ord = nodes[i];
      if (ord >= m.length) {
        m = grow(ord);
      }
      int differs = m[ord] ^ e;
      m[ord] = e;
      nodes[fresh] = ord;
      fresh += (differs | -differs) >>> 31; // 1 unless the mark was this epoch's, without a branch
    }
    return fresh;
  }

  /** Makes the slots cover {@code ord}, growing by half at least; returns them. */
  private int[] grow(int ord) {
    marks = Arrays.copyOf(marks, Math.max(ord + 1, marks.length + (marks.length >>> 1)));
    return marks;
  }
}
