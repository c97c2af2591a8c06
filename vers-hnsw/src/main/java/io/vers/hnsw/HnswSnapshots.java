package io.vers.hnsw;

import io.vers.api.CorruptIndexException;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.spi.IdMap;
import io.vers.spi.Vectors;
import io.vers.spi.storage.CodeStore;
import io.vers.spi.storage.ScalarQuantizer;
import io.vers.spi.storage.VectorStore;
import java.util.Map;

/**
 * The {@link IndexSnapshot} layout of an {@link HnswIndex}, state version 2, and its validating reader
 * (which reads version 1 too).
 *
 * <p>Header: dimension, metric, live size. Parameters: {@link HnswConfig#asMap()}. Scalars:
 * {@code nodes} (ordinals in use, tombstones included), {@code entryNode} and {@code entryLevel}
 * ({@code -1} without an entry point), {@code seed} (exact), {@code levelDraws} (levels drawn so far).
 * Arrays, by node ordinal:
 * <ul>
 *   <li>{@code vectors}: {@code float[nodes * dimension]}, stored form; absent when the index has quantized
 *       its vectors and does not keep the floats ({@code sq8}, {@code keepVectors=false});
 *   <li>{@code ids}: {@code long[nodes]};
 *   <li>{@code levels}: {@code byte[nodes]}, each node's top level;
 *   <li>{@code links0}: {@code int[nodes * (1 + 2m)]}, per node a neighbour count and {@code 2m} slots;
 *   <li>{@code links}: per node of level {@code L > 0}, in ordinal order, levels 1 to L, each a count and
 *       {@code m} slots;
 *   <li>{@code deleted}: the ordinals of tombstones, ascending;
 *   <li>once an {@code sq8} index has learned its ranges: {@code codes}, {@code byte[nodes * (dimension + 4)]}
 *       ({@link CodeStore#view} layout: the codes and {@code |x'|^2} per node), {@code lows} and
 *       {@code highs}, {@code float[dimension]} each (the ranges), and the scalar {@code farOutside} (vectors
 *       added far outside the ranges since they were learned).
 * </ul>
 * Version 1 (before quantization) has no quantization parameters and no codes; it restores as
 * {@code quantization=none}.
 *
 * <p>{@link #restore} trusts nothing: it checks every length, count, ordinal, level and id, and that
 * every upper-level link leads to a node present on that level, that the codes, ranges and vectors
 * present are the ones the parameters call for, before building the index. It then adopts the
 * {@code vectors} and {@code links0} arrays without copying them (the index owns and changes
 * them from then on), so loading needs little more heap than the index itself.
 */
final class HnswSnapshots {
  private HnswSnapshots() {}

  /**
   * The index's state, reading the vectors, ids and level-0 links in place; the small arrays are
   * copied. The caller excludes writers for as long as the snapshot is used.
   */
  static IndexSnapshot view(HnswIndex index) {
    HnswConfig config = index.config();
    HnswGraph graph = index.graph();
    int nodes = graph.size();
    int m = config.m();
    int strideUp = 1 + m;
    byte[] levels = new byte[nodes];
    long upperInts = 0;
    IntList deleted = new IntList();
    for (int node = 0; node < nodes; node++) {
      int level = graph.level(node);
      levels[node] = (byte) level;
      upperInts += (long) level * strideUp;
      if (graph.isDeleted(node)) {
        deleted.add(node);
      }
    }
    if ((long) nodes * (1 + 2 * m) > Integer.MAX_VALUE - 8 || upperInts > Integer.MAX_VALUE - 8
        || (long) nodes * index.dimension() > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("an index of " + nodes + " nodes with m=" + m + " and dimension "
          + index.dimension() + " does not fit snapshot arrays; use a smaller m or shard the data");
    }
    int[] links = new int[(int) upperInts];
    int[] buffer = new int[2 * m];
    int position = 0;
    for (int node = 0; node < nodes; node++) {
      for (int level = 1; level <= levels[node]; level++) {
        int count = graph.copyNeighbors(node, level, buffer);
        links[position] = count;
        System.arraycopy(buffer, 0, links, position + 1, count);
        position += strideUp;
      }
    }
    long entry = graph.entry();
    HnswVectors vectors = index.vectors();
    IndexSnapshot.Builder builder = IndexSnapshot.builder(
        HnswIndex.NAME, HnswIndex.STATE_VERSION, index.dimension(), index.metric(), index.size());
    for (Map.Entry<String, Object> p : config.asMap().entrySet()) {
      builder.parameter(p.getKey(), p.getValue());
    }
    if (vectors.hasFloats()) {
      builder.array("vectors", vectors.floats().view(nodes));
    }
    if (vectors.quantized()) {
      builder.array("codes", vectors.codes().view(nodes))
          .floats("lows", vectors.quantizer().lows())
          .floats("highs", vectors.quantizer().highs())
          .scalar("farOutside", vectors.farOutside());
    }
    return builder
        .scalar("nodes", nodes)
        .scalar("entryNode", entry == HnswGraph.NO_ENTRY ? -1 : HnswGraph.entryNode(entry))
        .scalar("entryLevel", entry == HnswGraph.NO_ENTRY ? -1 : HnswGraph.entryLevel(entry))
        .scalar("seed", config.seed())
        .scalar("levelDraws", index.levelDraws())
        .array("ids", index.idMap().view(nodes))
        .bytes("levels", levels)
        .array("links0", graph.level0View(nodes))
        .ints("links", links)
        .ints("deleted", deleted.toArray())
        .build();
  }

  /** Validates {@code snapshot} completely and builds the index it describes. */
  static HnswIndex restore(IndexSnapshot snapshot) throws CorruptIndexException {
    Stored s = Stored.read(snapshot);
    long[] isDeleted = s.deletedBits();
    s.checkLevelsAndEntry(isDeleted);
    long[] referenced = s.checkLinks();
    s.checkVectors();
    s.checkCodes();
    return s.rebuild(s.idMap(isDeleted), isDeleted, referenced);
  }

  /** A snapshot's arrays, read with their lengths checked, validated step by step, then rebuilt. */
  private static final class Stored {
    final IndexSnapshot snapshot;
    final HnswConfig config;
    final int dimension;
    final int nodes;
    final int m;
    final int stride0;
    final int strideUp;
    /** The float vectors, or null when the snapshot holds codes only. */
    final float[] data;
    /** The codes, or null before the quantizer was trained. */
    final byte[] codes;
    final ScalarQuantizer quantizer;
    final long farOutside;
    final long[] idArray;
    final byte[] levels;
    final int[] links0;
    final int[] links;
    final int[] deleted;
    final long levelDraws;
    final long entryNode;
    final long entryLevel;

    private Stored(IndexSnapshot snapshot, HnswConfig config, int nodes, boolean quantized)
        throws CorruptIndexException {
      this.snapshot = snapshot;
      this.config = config;
      this.dimension = snapshot.dimension();
      this.nodes = nodes;
      this.m = config.m();
      this.stride0 = 1 + 2 * m;
      this.strideUp = 1 + m;
      this.data = !quantized || config.keepVectors() ? snapshot.floats("vectors") : null;
      this.codes = quantized ? snapshot.bytes("codes") : null;
      this.quantizer = quantized ? ScalarQuantizer.of(snapshot.floats("lows"), snapshot.floats("highs")) : null;
      this.farOutside = quantized ? snapshot.scalar("farOutside") : 0;
      this.idArray = snapshot.longs("ids");
      this.levels = snapshot.bytes("levels");
      this.links0 = snapshot.ints("links0");
      this.links = snapshot.ints("links");
      this.deleted = snapshot.ints("deleted");
      this.levelDraws = snapshot.scalar("levelDraws");
      this.entryNode = snapshot.scalar("entryNode");
      this.entryLevel = snapshot.scalar("entryLevel");
    }

    /** The parameters, the node count and the lengths of the per-node arrays. */
    static Stored read(IndexSnapshot snapshot) throws CorruptIndexException {
      snapshot.checkAlgorithm(HnswIndex.NAME, HnswIndex.STATE_VERSION);
      boolean quantized = snapshot.arrays().containsKey("codes");
      HnswConfig config;
      try {
        config = HnswConfig.from(snapshot.resolveParameters(HnswConfig.SPECS));
      } catch (IllegalArgumentException e) {
        throw corrupt("has invalid parameters: " + e.getMessage());
      }
      config = config.withSeed(snapshot.scalar("seed"));
      checkArrays(snapshot, config, quantized);
      long nodeCount = snapshot.scalar("nodes");
      if (nodeCount < 0 || nodeCount > Integer.MAX_VALUE - 8) {
        throw corrupt("has " + nodeCount + " nodes");
      }
      Stored s = new Stored(snapshot, config, (int) nodeCount, quantized);
      if (s.data != null) {
        checkLength("vectors", s.data.length, (long) s.nodes * s.dimension);
      }
      if (quantized) {
        checkLength("codes", s.codes.length, (long) s.nodes * (s.dimension + 4));
        checkLength("lows", s.quantizer.dimension(), s.dimension);
        if (s.farOutside < 0 || s.farOutside > s.nodes) {
          throw corrupt("counts " + s.farOutside + " vectors far outside the ranges of " + s.nodes + " nodes");
        }
      }
      checkLength("ids", s.idArray.length, s.nodes);
      checkLength("levels", s.levels.length, s.nodes);
      checkLength("links0", s.links0.length, (long) s.nodes * s.stride0);
      if (s.levelDraws < 0) {
        throw corrupt("has drawn " + s.levelDraws + " levels");
      }
      return s;
    }

    /** The deleted nodes as a bit set: listed in order, inside the graph, consistent with the size. */
    long[] deletedBits() throws CorruptIndexException {
      long[] isDeleted = new long[(nodes + 63) >>> 6];
      int previous = -1;
      for (int node : deleted) {
        if (node <= previous || node >= nodes) {
          throw corrupt("lists deleted node " + node + " out of order or outside [0, " + nodes + ")");
        }
        isDeleted[node >>> 6] |= 1L << node;
        previous = node;
      }
      if (nodes - deleted.length != snapshot.size()) {
        throw corrupt("has " + nodes + " nodes and " + deleted.length + " tombstones but a size of "
            + snapshot.size());
      }
      return isDeleted;
    }

    /** Levels within the cap, the upper links' length, and an entry point on the highest live level. */
    void checkLevelsAndEntry(long[] isDeleted) throws CorruptIndexException {
      int cap = config.topLevelCap();
      long upperInts = 0;
      int maxLiveLevel = -1;
      for (int node = 0; node < nodes; node++) {
        int level = levels[node];
        if (level < 0 || level > cap) {
          throw corrupt("gives node " + node + " level " + level + " outside [0, " + cap + "]");
        }
        upperInts += (long) level * strideUp;
        if (!bit(isDeleted, node)) {
          maxLiveLevel = Math.max(maxLiveLevel, level);
        }
      }
      checkLength("links", links.length, upperInts);
      if (entryNode == -1) {
        if (entryLevel != -1 || maxLiveLevel != -1) {
          throw corrupt("has no entry point but " + snapshot.size() + " live nodes (entry level " + entryLevel + ")");
        }
      } else if (entryNode < 0 || entryNode >= nodes || entryLevel != levels[(int) entryNode]
          || entryLevel < maxLiveLevel) {
        throw corrupt("has entry point " + entryNode + " at level " + entryLevel + ", inconsistent with its "
            + nodes + " nodes (highest live level " + maxLiveLevel + ")");
      }
    }

    /** Every neighbour list; returns the nodes some list names. */
    long[] checkLinks() throws CorruptIndexException {
      long[] referenced = new long[(nodes + 63) >>> 6];
      for (int node = 0; node < nodes; node++) {
        checkList(links0, node * stride0, 2 * m, node, 0, nodes, levels, referenced);
      }
      int position = 0;
      for (int node = 0; node < nodes; node++) {
        for (int level = 1; level <= levels[node]; level++) {
          checkList(links, position, m, node, level, nodes, levels, referenced);
          position += strideUp;
        }
      }
      return referenced;
    }

    void checkVectors() throws CorruptIndexException {
      if (data == null) {
        return;
      }
      Vectors.checkStored(data, dimension, snapshot.metric(), "hnsw snapshot: the vector of node");
    }

    /** Every code record's {@code |x'|^2}: the one its codes give. */
    void checkCodes() throws CorruptIndexException {
      if (codes == null) {
        return;
      }
      CodeStore.checkNorms(quantizer, codes, nodes, "hnsw snapshot: the codes of node");
    }

    /** The vector generation the arrays describe. */
    HnswVectors vectors() {
      Metric metric = snapshot.metric();
      VectorStore floats = data == null ? null : VectorStore.fromArray(dimension, data, nodes);
      if (codes == null) {
        return HnswVectors.ofFloats(floats, metric);
      }
      return HnswVectors.ofCodes(dimension, metric, floats, quantizer, CodeStore.fromArray(dimension, codes, nodes),
          (int) farOutside);
    }

    /** The live ids, each once; deleted nodes' ids are known to the map but absent. */
    IdMap idMap(long[] isDeleted) throws CorruptIndexException {
      IdMap ids = new IdMap(nodes);
      for (int node : deleted) {
        ids.put(idArray[node], node);
        ids.remove(idArray[node]);
      }
      for (int node = 0; node < nodes; node++) {
        if (!bit(isDeleted, node) && ids.put(idArray[node], node) >= 0) {
          throw corrupt("stores id " + idArray[node] + " twice");
        }
      }
      return ids;
    }

    /** The graph over the validated arrays; deleted nodes no list names become free ordinals. */
    HnswIndex rebuild(IdMap ids, long[] isDeleted, long[] referenced) {
      HnswGraph graph = new HnswGraph(m, links0, nodes);
      int position = 0;
      for (int node = 0; node < nodes; node++) {
        graph.initBaseNode(node, levels[node], bit(isDeleted, node));
        for (int level = 1; level <= levels[node]; level++) {
          graph.setNeighbors(node, level, links, position + 1, links[position]);
          position += strideUp;
        }
      }
      graph.setSize(nodes);
      if (entryNode >= 0) {
        graph.setEntry((int) entryNode, (int) entryLevel);
      }
      IntList tombstones = new IntList();
      IntList free = new IntList();
      for (int node : deleted) {
        if (bit(referenced, node) || node == entryNode) {
          tombstones.add(node);
        } else {
          graph.clearNode(node);
          free.add(node);
        }
      }
      return new HnswIndex(dimension, snapshot.metric(), config, vectors(), ids, graph, levelDraws, tombstones, free);
    }
  }

  /**
   * The vector arrays the parameters call for: codes only with {@code sq8}; the floats unless an
   * {@code sq8} index without {@code keepVectors} has codes.
   */
  private static void checkArrays(IndexSnapshot snapshot, HnswConfig config, boolean quantized)
      throws CorruptIndexException {
    if (quantized && !config.sq8()) {
      throw corrupt("holds codes but quantization=none");
    }
    boolean floats = snapshot.arrays().containsKey("vectors");
    boolean expected = !quantized || config.keepVectors();
    if (floats != expected) {
      throw corrupt((floats ? "holds" : "lacks") + " float vectors with quantization=" + (config.sq8() ? "sq8" : "none")
          + ", keepVectors=" + config.keepVectors() + (quantized ? " and codes" : " and no codes"));
    }
  }

  private static void checkList(int[] links, int base, int max, int node, int level, int nodes, byte[] levels,
      long[] referenced) throws CorruptIndexException {
    int count = links[base];
    if (count < 0 || count > max) {
      throw corrupt("gives node " + node + " " + count + " neighbours on level " + level + "; at most " + max);
    }
    for (int i = 1; i <= count; i++) {
      int neighbor = links[base + i];
      if (neighbor < 0 || neighbor >= nodes || neighbor == node) {
        throw corrupt("links node " + node + " on level " + level + " to " + neighbor + ", not a node in [0, "
            + nodes + ") other than itself");
      }
      if (levels[neighbor] < level) {
        throw corrupt("links node " + node + " on level " + level + " to node " + neighbor + " of level "
            + levels[neighbor]);
      }
      referenced[neighbor >>> 6] |= 1L << neighbor;
    }
  }

  private static boolean bit(long[] bits, int i) {
    return (bits[i >>> 6] & (1L << i)) != 0;
  }

  private static void checkLength(String array, long actual, long expected) throws CorruptIndexException {
    if (actual != expected) {
      throw corrupt("array '" + array + "' has " + actual + " entries, expected " + expected);
    }
  }

  private static CorruptIndexException corrupt(String problem) {
    return new CorruptIndexException("hnsw snapshot " + problem);
  }
}
