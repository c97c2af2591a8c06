package io.vers.lsh;

import io.vers.spi.storage.VectorStore;
import java.util.Arrays;

/**
 * Builds one {@link Subtree} over a set of ordinals by recursive random bisection: a node with more
 * than {@code maxLeafSize} points is split by the perpendicular bisector of two of its points drawn at
 * random, and its points are partitioned in place by the side they fall on.
 *
 * <p>When a drawn pair does not separate the points (equal points, or points so close that rounding
 * puts every point on one side) another pair is drawn; after {@value #ATTEMPTS} failures the points are
 * split on the first coordinate where two of them differ. Points that are all identical cannot be
 * separated by any hyperplane and stay together in one leaf, however many they are.
 *
 * <p>Iterative (an explicit stack), so degenerate data cannot overflow the call stack. Reads the
 * vectors and the forest's shape, never writes the forest; builders for different trees run in
 * parallel. Not thread-safe itself.
 */
final class SubtreeBuilder {
  static final int ATTEMPTS = 3;

  private final Forest forest;
  private final VectorStore vectors;
  private final SplitMix random;
  private final int dimension;
  private final int stride;
  private final int maxLeafSize;
  private final boolean augmented;
  private int[] stack = new int[64];

  SubtreeBuilder(Forest forest, VectorStore vectors, SplitMix random) {
    this.forest = forest;
    this.vectors = vectors;
    this.random = random;
    this.dimension = forest.dimension;
    this.stride = forest.stride;
    this.maxLeafSize = forest.maxLeafSize;
    this.augmented = forest.augmented;
  }

  /** Builds the subtree over {@code items[from, to)}, which it permutes; {@code to > from}. */
  Subtree build(int[] items, int from, int to) {
    Subtree tree = new Subtree(stride, items);
    int top = push(0, from, to, -1, 0);
    while (top > 0) {
      top -= 4;
      int lo = stack[top];
      int hi = stack[top + 1];
      int parent = stack[top + 2];
      int side = stack[top + 3];
      int ref;
      if (hi - lo <= maxLeafSize) {
        ref = tree.addLeaf(lo, hi);
      } else {
        int node = tree.addNode();
        int mid = split(items, lo, hi, tree.planes, node * stride);
        if (mid < 0) {
          tree.dropLastNode();
          ref = tree.addLeaf(lo, hi);
        } else {
          ref = node;
          top = push(top, mid, hi, node, 1);
          top = push(top, lo, mid, node, 0);
        }
      }
      tree.link(parent, side, ref);
    }
    return tree;
  }

  private int push(int top, int lo, int hi, int parent, int side) {
    if (top + 4 > stack.length) {
      stack = Arrays.copyOf(stack, stack.length * 2);
    }
    stack[top] = lo;
    stack[top + 1] = hi;
    stack[top + 2] = parent;
    stack[top + 3] = side;
    return top + 4;
  }

  /**
   * Chooses a hyperplane for {@code items[lo, hi)}, writes it at {@code planes[base]} and partitions
   * the items: margin at most 0 first. Returns the start of the positive side, strictly between
   * {@code lo} and {@code hi}, or -1 when every point is identical.
   */
  private int split(int[] items, int lo, int hi, float[] planes, int base) {
    int size = hi - lo;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int i = random.nextInt(size);
      int j = random.nextInt(size - 1);
      if (j >= i) {
        j++;
      }
      if (bisector(items[lo + i], items[lo + j], planes, base)) {
        int mid = partition(items, lo, hi, planes, base);
        if (mid > lo && mid < hi) {
          return mid;
        }
      }
    }
    if (!axisSplit(items, lo, hi, planes, base)) {
      return -1;
    }
    return partition(items, lo, hi, planes, base);
  }

  /** Lomuto partition by the sign of each point's margin; returns where the positive side starts. */
  private int partition(int[] items, int lo, int hi, float[] planes, int base) {
    int store = lo;
    for (int i = lo; i < hi; i++) {
      int ord = items[i];
      if (forest.pointMargin(planes, base, vectors, ord) <= 0f) {
        items[i] = items[store];
        items[store] = ord;
        store++;
      }
    }
    return store;
  }

  /**
   * Writes the unit-normal perpendicular bisector of points {@code a} and {@code b}, oriented so that
   * {@code a} is on the positive side. Returns false when the two are the same point.
   */
  private boolean bisector(int a, int b, float[] planes, int base) {
    float[] pa = vectors.page(a);
    int oa = vectors.offset(a);
    float[] pb = vectors.page(b);
    int ob = vectors.offset(b);
    double norm2 = 0;
    for (int i = 0; i < dimension; i++) {
      double d = (double) pa[oa + i] - pb[ob + i];
      norm2 += d * d;
    }
    double ea = 0;
    double eb = 0;
    float scale = forest.scale;
    if (augmented) {
      ea = Forest.extraCoordinate(scale, forest.normSq[a]);
      eb = Forest.extraCoordinate(scale, forest.normSq[b]);
      norm2 += (ea - eb) * (ea - eb);
    }
    if (norm2 == 0) {
      return false;
    }
    double inverse = 1 / Math.sqrt(norm2);
    double offset = 0;
    for (int i = 0; i < dimension; i++) {
      float u = (float) (((double) pa[oa + i] - pb[ob + i]) * inverse);
      planes[base + i] = u;
      offset -= u * (((double) pa[oa + i] + pb[ob + i]) * 0.5);
    }
    if (augmented) {
      float u = (float) ((ea - eb) * inverse);
      planes[base + dimension + 1] = u;
      planes[base + dimension + 2] = scale;
      offset -= u * ((ea + eb) * 0.5);
    }
    planes[base + dimension] = (float) offset;
    return true;
  }

  /**
   * Writes an axis-aligned plane on the first coordinate where a point differs from the first point,
   * at the smaller of the two values, which separates them exactly in float arithmetic. Returns false
   * when all points are identical.
   */
  private boolean axisSplit(int[] items, int lo, int hi, float[] planes, int base) {
    int first = items[lo];
    float[] p0 = vectors.page(first);
    int o0 = vectors.offset(first);
    for (int i = lo + 1; i < hi; i++) {
      float[] p = vectors.page(items[i]);
      int o = vectors.offset(items[i]);
      for (int c = 0; c < dimension; c++) {
        if (p[o + c] != p0[o0 + c]) {
          Arrays.fill(planes, base, base + stride, 0f);
          planes[base + c] = 1f;
          planes[base + dimension] = -Math.min(p[o + c], p0[o0 + c]);
          if (augmented) {
            planes[base + dimension + 2] = forest.scale;
          }
          return true;
        }
      }
    }
    return false;
  }
}
