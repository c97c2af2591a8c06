package io.vers.lsh;

import java.util.Arrays;

/**
 * A tree (or the subtree that replaces an overflowing leaf) built apart from the forest, in the
 * forest's flat layout with local numbering: internal node {@code i} has children
 * {@code children[2i]} (margin at most 0) and {@code children[2i + 1]} (margin above 0) and its
 * hyperplane at {@code planes[i * stride]}; a child or root {@code ref >= 0} is an internal node, a
 * negative one is leaf {@code ~ref}, whose ordinals are {@code items[leafFrom[l] .. leafTo[l])}.
 * {@link Forest#graft} copies it into the forest. Not thread-safe; one builder fills it.
 */
final class Subtree {
  final int stride;
  final int[] items;
  int root;
  int nodeCount;
  int[] children = new int[16];
  float[] planes;
  int leafCount;
  int[] leafFrom = new int[8];
  int[] leafTo = new int[8];

  Subtree(int stride, int[] items) {
    this.stride = stride;
    this.items = items;
    this.planes = new float[8 * stride];
  }

  /** Adds an internal node whose plane the caller writes at {@code node * stride}; returns its id. */
  int addNode() {
    int node = nodeCount;
    if (2 * node + 2 > children.length) {
      children = Arrays.copyOf(children, children.length * 2);
    }
    if ((long) (node + 1) * stride > planes.length) {
      long grown = Math.max((long) (node + 1) * stride, (long) planes.length * 2);
      if (grown > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("a tree of this dimension holds at most "
            + (Integer.MAX_VALUE - 8) / stride + " internal nodes; raise maxLeafSize");
      }
      planes = Arrays.copyOf(planes, (int) grown);
    }
    nodeCount++;
    return node;
  }

  /** Forgets the last node added: its points turned out to be inseparable. */
  void dropLastNode() {
    nodeCount--;
  }

  /** Adds leaf holding {@code items[from, to)}; returns its reference ({@code ~leaf}). */
  int addLeaf(int from, int to) {
    int leaf = leafCount;
    if (leaf == leafFrom.length) {
      leafFrom = Arrays.copyOf(leafFrom, leaf * 2);
      leafTo = Arrays.copyOf(leafTo, leaf * 2);
    }
    leafFrom[leaf] = from;
    leafTo[leaf] = to;
    leafCount++;
    return ~leaf;
  }

  /** Makes {@code ref} the child on {@code side} of {@code parent}, or the root when {@code parent < 0}. */
  void link(int parent, int side, int ref) {
    if (parent < 0) {
      root = ref;
    } else {
      children[2 * parent + side] = ref;
    }
  }
}
