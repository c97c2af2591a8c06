package io.vers.hnsw;

import io.vers.api.Metric;
import io.vers.spi.storage.CodeStore;
import io.vers.spi.storage.ScalarQuantizer;
import io.vers.spi.storage.VectorStore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One generation of an {@link HnswIndex}'s vector representation, by node ordinal: the float vectors
 * (absent once {@code sq8} with {@code keepVectors=false} has dropped them), and once the quantizer is
 * trained its {@link ScalarQuantizer} and {@link CodeStore}. Which stores a generation holds never
 * changes; training and retraining make a new generation ({@link #train}), which the index swaps in.
 *
 * <p>Two distances come with it: the <em>build</em> distance that insertions and repairs use (floats
 * while they are kept, else codes) and the <em>search</em> distance that queries traverse with (codes
 * once trained, else floats). The nodes are written under {@link NodeSlots}'s lock; reads are lock-free
 * as in the stores.
 */
final class HnswVectors {
  /** The seed of the sample the ranges are learned from. */
  static final long TRAIN_SEED = 0x5C8L;

  private final int dimension;
  private final Metric metric;
  private final VectorStore floats;
  private final ScalarQuantizer quantizer;
  private final CodeStore codes;
  private final NodeDistance build;
  private final NodeDistance search;
  /** Vectors added far outside the ranges since they were learned. */
  private final AtomicInteger farOutside;

  private HnswVectors(int dimension, Metric metric, VectorStore floats, ScalarQuantizer quantizer, CodeStore codes,
      int farOutside) {
    this.dimension = dimension;
    this.metric = metric;
    this.floats = floats;
    this.quantizer = quantizer;
    this.codes = codes;
    NodeDistance onFloats = floats == null ? null : new NodeDistance.Floats(floats, metric);
    NodeDistance onCodes = codes == null ? null : new NodeDistance.Codes(codes, quantizer, metric);
    this.build = onFloats != null ? onFloats : onCodes;
    this.search = onCodes != null ? onCodes : onFloats;
    this.farOutside = new AtomicInteger(farOutside);
  }

  /** Float vectors only: {@code quantization=none}, or {@code sq8} before training. */
  static HnswVectors ofFloats(VectorStore floats, Metric metric) {
    return new HnswVectors(floats.dimension(), metric, floats, null, null, 0);
  }

  /** A trained generation; {@code floats} is null when they are not kept. */
  static HnswVectors ofCodes(int dimension, Metric metric, VectorStore floats, ScalarQuantizer quantizer,
      CodeStore codes, int farOutside) {
    return new HnswVectors(dimension, metric, floats, quantizer, codes, farOutside);
  }

  /**
   * A new generation holding the same {@code nodes} nodes: ranges learned from the vectors of the live
   * ones (the floats if held, else the decoded codes; at most {@link ScalarQuantizer#MAX_SAMPLE}, evenly
   * spaced), every node encoded anew, the floats kept only if {@code keep}. Needs no concurrent writer.
   */
  HnswVectors train(HnswGraph graph, int nodes, boolean keep) {
    int live = 0;
    for (int node = 0; node < nodes; node++) {
      if (!graph.isDeleted(node)) {
        live++;
      }
    }
    int rows = Math.min(live, ScalarQuantizer.MAX_SAMPLE);
    float[] sample = new float[rows * dimension];
    float[] buffer = new float[dimension];
    int seen = 0;
    int taken = 0;
    for (int node = 0; node < nodes && taken < rows; node++) {
      if (graph.isDeleted(node)) {
        continue;
      }
      if ((long) taken * live <= (long) seen * rows) { // evenly spaced over the live nodes
        read(node, buffer);
        System.arraycopy(buffer, 0, sample, taken * dimension, dimension);
        taken++;
      }
      seen++;
    }
    if (taken == 0) {
      return this;
    }
    ScalarQuantizer learned = ScalarQuantizer.train(sample, taken, dimension, TRAIN_SEED);
    CodeStore encoded = new CodeStore(dimension);
    encoded.ensureCapacity(nodes);
    for (int node = 0; node < nodes; node++) {
      read(node, buffer);
      encoded.append(learned, buffer, 0);
    }
    return new HnswVectors(dimension, metric, keep ? floats : null, learned, encoded, 0);
  }

  /** Writes node {@code node}'s vector (or the one its codes stand for) to {@code out}. */
  void read(int node, float[] out) {
    if (floats != null) {
      floats.copyTo(node, out, 0);
    } else {
      codes.decode(quantizer, node, out, 0);
    }
  }

  /** {@return node {@code node}'s vector: the floats if kept, else the one its codes stand for} */
  float[] get(int node) {
    float[] out = new float[dimension];
    read(node, out);
    return out;
  }

  /** Stores a new node's vector (stored form) and returns its ordinal. Under the node slots' lock. */
  int append(float[] vector) {
    int node = -1;
    if (floats != null) {
      node = floats.append(vector);
    }
    if (codes != null) {
      countFarOutside(vector);
      int ord = codes.append(quantizer, vector, 0);
      if (node >= 0 && ord != node) {
        throw new IllegalStateException("float and code stores out of step: " + node + " and " + ord);
      }
      node = ord;
    }
    return node;
  }

  /** Overwrites the vector of free ordinal {@code node}. Under the node slots' lock. */
  void set(int node, float[] vector) {
    if (floats != null) {
      floats.set(node, vector);
    }
    if (codes != null) {
      countFarOutside(vector);
      codes.set(node, quantizer, vector, 0);
    }
  }

  private void countFarOutside(float[] vector) {
    if (quantizer.farOutside(vector, 0)) {
      farOutside.incrementAndGet();
    }
  }

  /** {@return whether the ranges have been learned and the codes are searched} */
  boolean quantized() {
    return codes != null;
  }

  /** {@return whether searches traverse codes and re-rank with the floats} */
  boolean reranks() {
    return codes != null && floats != null;
  }

  /** {@return whether the float vectors are held} */
  boolean hasFloats() {
    return floats != null;
  }

  VectorStore floats() {
    return floats;
  }

  ScalarQuantizer quantizer() {
    return quantizer;
  }

  CodeStore codes() {
    return codes;
  }

  /** {@return the distance insertions and repairs use: floats while kept, else codes} */
  NodeDistance build() {
    return build;
  }

  /** {@return the distance searches traverse with: codes once trained, else floats} */
  NodeDistance search() {
    return search;
  }

  /** {@return vectors added far outside the ranges since they were learned} */
  int farOutside() {
    return farOutside.get();
  }

  Metric metric() {
    return metric;
  }

  long ramBytesUsed() {
    long bytes = 64 + (floats == null ? 0 : floats.ramBytesUsed());
    if (codes != null) {
      bytes += codes.ramBytesUsed() + quantizer.ramBytesUsed() + 64;
    }
    return bytes;
  }
}
