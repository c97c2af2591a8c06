package io.vers.spi.simd;

import io.vers.api.Metric;
import io.vers.spi.storage.VectorStore;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchDistance} on the incubating Vector API: eight, four or one vectors per loop (a group of
 * five to seven, or two or three, repeats its last vector, whose loads then hit the cache), one
 * accumulator per vector, whose lanes a batch sums together ({@link LaneSums}) in the order a single
 * vector's are summed (so a vector's sum does not depend on its batch), then a scalar tail; a group of
 * eight with no tail leaves its distances in one store. Squared
 * differences for {@link Metric#L2}; products for {@link Metric#DOT} and {@link Metric#COSINE}, finished
 * as those metrics define their distances on stored vectors. Only loaded when the
 * {@code jdk.incubator.vector} module is present.
 */
final class PanamaBatchDistance extends BatchDistance {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  private final VectorStore vectors;
  private final int dimension;
  private final boolean l2;
  private final boolean cosine;

  PanamaBatchDistance(VectorStore vectors, Metric metric) {
    this.vectors = vectors;
    this.dimension = vectors.dimension();
    this.l2 = metric == Metric.L2;
    this.cosine = metric == Metric.COSINE;
  }

  @Override
  public void distances(float[] query, int queryOffset, int[] nodes, int from, int count, float[] out) {
    for (int i = 0; i < count; ) {
      int left = count - i;
      if (left >= 5) {
        int n = Math.min(8, left);
        if (l2) {
          l2x8(query, queryOffset, nodes, from + i, n, out, i);
        } else {
          dotx8(query, queryOffset, nodes, from + i, n, out, i);
        }
        i += n;
      } else if (left >= 2) {
        if (l2) {
          l2x4(query, queryOffset, nodes, from + i, left, out, i);
        } else {
          dotx4(query, queryOffset, nodes, from + i, left, out, i);
        }
        i += left;
      } else {
        out[i] = distance(query, queryOffset, nodes[from + i]);
        i++;
      }
    }
  }

  @Override
  public float distance(float[] query, int queryOffset, int node) {
    return l2 ? l2One(query, queryOffset, node) : dotOne(query, queryOffset, node);
  }

  /** The metric's distance from an accumulated sum of squared differences or of products. */
  private float finish(float sum) {
    if (l2) {
      return sum;
    }
    return cosine ? Math.max(0f, 1f - sum) : -sum;
  }

  /** Distances to 8 vectors; with {@code count < 8} the last one stands in for the missing ones. */
  private void l2x8(float[] q, int qo, int[] nodes, int from, int count, float[] out, int at) {
    int last = from + count - 1;
    int n0 = nodes[from];
    int n1 = nodes[Math.min(from + 1, last)];
    int n2 = nodes[Math.min(from + 2, last)];
    int n3 = nodes[Math.min(from + 3, last)];
    int n4 = nodes[Math.min(from + 4, last)];
    int n5 = nodes[Math.min(from + 5, last)];
    int n6 = nodes[Math.min(from + 6, last)];
    int n7 = nodes[Math.min(from + 7, last)];
    float[] p0 = vectors.page(n0);
    float[] p1 = vectors.page(n1);
    float[] p2 = vectors.page(n2);
    float[] p3 = vectors.page(n3);
    float[] p4 = vectors.page(n4);
    float[] p5 = vectors.page(n5);
    float[] p6 = vectors.page(n6);
    float[] p7 = vectors.page(n7);
    int o0 = vectors.offset(n0);
    int o1 = vectors.offset(n1);
    int o2 = vectors.offset(n2);
    int o3 = vectors.offset(n3);
    int o4 = vectors.offset(n4);
    int o5 = vectors.offset(n5);
    int o6 = vectors.offset(n6);
    int o7 = vectors.offset(n7);
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES);
    FloatVector a3 = FloatVector.zero(SPECIES);
    FloatVector a4 = FloatVector.zero(SPECIES);
    FloatVector a5 = FloatVector.zero(SPECIES);
    FloatVector a6 = FloatVector.zero(SPECIES);
    FloatVector a7 = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dimension); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(SPECIES, q, qo + i);
      FloatVector d0 = x.sub(FloatVector.fromArray(SPECIES, p0, o0 + i));
      a0 = d0.fma(d0, a0);
      FloatVector d1 = x.sub(FloatVector.fromArray(SPECIES, p1, o1 + i));
      a1 = d1.fma(d1, a1);
      FloatVector d2 = x.sub(FloatVector.fromArray(SPECIES, p2, o2 + i));
      a2 = d2.fma(d2, a2);
      FloatVector d3 = x.sub(FloatVector.fromArray(SPECIES, p3, o3 + i));
      a3 = d3.fma(d3, a3);
      FloatVector d4 = x.sub(FloatVector.fromArray(SPECIES, p4, o4 + i));
      a4 = d4.fma(d4, a4);
      FloatVector d5 = x.sub(FloatVector.fromArray(SPECIES, p5, o5 + i));
      a5 = d5.fma(d5, a5);
      FloatVector d6 = x.sub(FloatVector.fromArray(SPECIES, p6, o6 + i));
      a6 = d6.fma(d6, a6);
      FloatVector d7 = x.sub(FloatVector.fromArray(SPECIES, p7, o7 + i));
      a7 = d7.fma(d7, a7);
    }
    float s0;
    float s1;
    float s2;
    float s3;
    float s4;
    float s5;
    float s6;
    float s7;
    if (LaneSums.JOINT) {
      FloatVector b01 = a0.add(a0.rearrange(LaneSums.UP0)).blend(a1.add(a1.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b23 = a2.add(a2.rearrange(LaneSums.UP0)).blend(a3.add(a3.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b45 = a4.add(a4.rearrange(LaneSums.UP0)).blend(a5.add(a5.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b67 = a6.add(a6.rearrange(LaneSums.UP0)).blend(a7.add(a7.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector c0 = b01.add(b01.rearrange(LaneSums.UP1)).blend(b23.add(b23.rearrange(LaneSums.DOWN1)), LaneSums.SET1);
      FloatVector c1 = b45.add(b45.rearrange(LaneSums.UP1)).blend(b67.add(b67.rearrange(LaneSums.DOWN1)), LaneSums.SET1);
      FloatVector z = c0.add(c0.rearrange(LaneSums.UP2)).blend(c1.add(c1.rearrange(LaneSums.DOWN2)), LaneSums.SET2);
      z = LaneSums.SIXTEEN ? z.add(z.rearrange(LaneSums.UP3)) : z;
      if (count == 8 && i == dimension) { // no tail: the eight distances leave in one store
        z.rearrange(LaneSums.PACK).reinterpretShape(LaneSums.EIGHT, 0).reinterpretAsFloats().intoArray(out, at);
        return;
      }
      s0 = z.lane(LaneSums.E0);
      s1 = z.lane(LaneSums.E1);
      s2 = z.lane(LaneSums.E2);
      s3 = z.lane(LaneSums.E3);
      s4 = z.lane(LaneSums.E4);
      s5 = z.lane(LaneSums.E5);
      s6 = z.lane(LaneSums.E6);
      s7 = z.lane(LaneSums.E7);
    } else {
      s0 = PanamaVectorKernel.sumLanes(a0);
      s1 = PanamaVectorKernel.sumLanes(a1);
      s2 = PanamaVectorKernel.sumLanes(a2);
      s3 = PanamaVectorKernel.sumLanes(a3);
      s4 = PanamaVectorKernel.sumLanes(a4);
      s5 = PanamaVectorKernel.sumLanes(a5);
      s6 = PanamaVectorKernel.sumLanes(a6);
      s7 = PanamaVectorKernel.sumLanes(a7);
    }
    for (; i < dimension; i++) {
      float y = q[qo + i];
      float d0 = y - p0[o0 + i];
      s0 += d0 * d0;
      float d1 = y - p1[o1 + i];
      s1 += d1 * d1;
      float d2 = y - p2[o2 + i];
      s2 += d2 * d2;
      float d3 = y - p3[o3 + i];
      s3 += d3 * d3;
      float d4 = y - p4[o4 + i];
      s4 += d4 * d4;
      float d5 = y - p5[o5 + i];
      s5 += d5 * d5;
      float d6 = y - p6[o6 + i];
      s6 += d6 * d6;
      float d7 = y - p7[o7 + i];
      s7 += d7 * d7;
    }
    out[at] = finish(s0);
    if (count > 1) {
      out[at + 1] = finish(s1);
    }
    if (count > 2) {
      out[at + 2] = finish(s2);
    }
    if (count > 3) {
      out[at + 3] = finish(s3);
    }
    if (count > 4) {
      out[at + 4] = finish(s4);
    }
    if (count > 5) {
      out[at + 5] = finish(s5);
    }
    if (count > 6) {
      out[at + 6] = finish(s6);
    }
    if (count > 7) {
      out[at + 7] = finish(s7);
    }
  }

  /** Distances to 4 vectors; with {@code count < 4} the last one stands in for the missing ones. */
  private void l2x4(float[] q, int qo, int[] nodes, int from, int count, float[] out, int at) {
    int last = from + count - 1;
    int n0 = nodes[from];
    int n1 = nodes[Math.min(from + 1, last)];
    int n2 = nodes[Math.min(from + 2, last)];
    int n3 = nodes[Math.min(from + 3, last)];
    float[] p0 = vectors.page(n0);
    float[] p1 = vectors.page(n1);
    float[] p2 = vectors.page(n2);
    float[] p3 = vectors.page(n3);
    int o0 = vectors.offset(n0);
    int o1 = vectors.offset(n1);
    int o2 = vectors.offset(n2);
    int o3 = vectors.offset(n3);
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES);
    FloatVector a3 = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dimension); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(SPECIES, q, qo + i);
      FloatVector d0 = x.sub(FloatVector.fromArray(SPECIES, p0, o0 + i));
      a0 = d0.fma(d0, a0);
      FloatVector d1 = x.sub(FloatVector.fromArray(SPECIES, p1, o1 + i));
      a1 = d1.fma(d1, a1);
      FloatVector d2 = x.sub(FloatVector.fromArray(SPECIES, p2, o2 + i));
      a2 = d2.fma(d2, a2);
      FloatVector d3 = x.sub(FloatVector.fromArray(SPECIES, p3, o3 + i));
      a3 = d3.fma(d3, a3);
    }
    float s0;
    float s1;
    float s2;
    float s3;
    if (LaneSums.JOINT) {
      FloatVector b01 = a0.add(a0.rearrange(LaneSums.UP0)).blend(a1.add(a1.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b23 = a2.add(a2.rearrange(LaneSums.UP0)).blend(a3.add(a3.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector z = b01.add(b01.rearrange(LaneSums.UP1)).blend(b23.add(b23.rearrange(LaneSums.DOWN1)), LaneSums.SET1);
      z = z.add(z.rearrange(LaneSums.UP2));
      z = LaneSums.SIXTEEN ? z.add(z.rearrange(LaneSums.UP3)) : z;
      s0 = z.lane(LaneSums.F0);
      s1 = z.lane(LaneSums.F1);
      s2 = z.lane(LaneSums.F2);
      s3 = z.lane(LaneSums.F3);
    } else {
      s0 = PanamaVectorKernel.sumLanes(a0);
      s1 = PanamaVectorKernel.sumLanes(a1);
      s2 = PanamaVectorKernel.sumLanes(a2);
      s3 = PanamaVectorKernel.sumLanes(a3);
    }
    for (; i < dimension; i++) {
      float y = q[qo + i];
      float d0 = y - p0[o0 + i];
      s0 += d0 * d0;
      float d1 = y - p1[o1 + i];
      s1 += d1 * d1;
      float d2 = y - p2[o2 + i];
      s2 += d2 * d2;
      float d3 = y - p3[o3 + i];
      s3 += d3 * d3;
    }
    out[at] = finish(s0);
    if (count > 1) {
      out[at + 1] = finish(s1);
    }
    if (count > 2) {
      out[at + 2] = finish(s2);
    }
    if (count > 3) {
      out[at + 3] = finish(s3);
    }
  }

  private float l2One(float[] q, int qo, int node) {
    float[] p = vectors.page(node);
    int o = vectors.offset(node);
    FloatVector a = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dimension); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(SPECIES, q, qo + i);
      FloatVector d = x.sub(FloatVector.fromArray(SPECIES, p, o + i));
      a = d.fma(d, a);
    }
    float s = PanamaVectorKernel.sumLanes(a);
    for (; i < dimension; i++) {
      float d = q[qo + i] - p[o + i];
      s += d * d;
    }
    return finish(s);
  }

  /** Distances to 8 vectors; with {@code count < 8} the last one stands in for the missing ones. */
  private void dotx8(float[] q, int qo, int[] nodes, int from, int count, float[] out, int at) {
    int last = from + count - 1;
    int n0 = nodes[from];
    int n1 = nodes[Math.min(from + 1, last)];
    int n2 = nodes[Math.min(from + 2, last)];
    int n3 = nodes[Math.min(from + 3, last)];
    int n4 = nodes[Math.min(from + 4, last)];
    int n5 = nodes[Math.min(from + 5, last)];
    int n6 = nodes[Math.min(from + 6, last)];
    int n7 = nodes[Math.min(from + 7, last)];
    float[] p0 = vectors.page(n0);
    float[] p1 = vectors.page(n1);
    float[] p2 = vectors.page(n2);
    float[] p3 = vectors.page(n3);
    float[] p4 = vectors.page(n4);
    float[] p5 = vectors.page(n5);
    float[] p6 = vectors.page(n6);
    float[] p7 = vectors.page(n7);
    int o0 = vectors.offset(n0);
    int o1 = vectors.offset(n1);
    int o2 = vectors.offset(n2);
    int o3 = vectors.offset(n3);
    int o4 = vectors.offset(n4);
    int o5 = vectors.offset(n5);
    int o6 = vectors.offset(n6);
    int o7 = vectors.offset(n7);
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES);
    FloatVector a3 = FloatVector.zero(SPECIES);
    FloatVector a4 = FloatVector.zero(SPECIES);
    FloatVector a5 = FloatVector.zero(SPECIES);
    FloatVector a6 = FloatVector.zero(SPECIES);
    FloatVector a7 = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dimension); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(SPECIES, q, qo + i);
      a0 = x.fma(FloatVector.fromArray(SPECIES, p0, o0 + i), a0);
      a1 = x.fma(FloatVector.fromArray(SPECIES, p1, o1 + i), a1);
      a2 = x.fma(FloatVector.fromArray(SPECIES, p2, o2 + i), a2);
      a3 = x.fma(FloatVector.fromArray(SPECIES, p3, o3 + i), a3);
      a4 = x.fma(FloatVector.fromArray(SPECIES, p4, o4 + i), a4);
      a5 = x.fma(FloatVector.fromArray(SPECIES, p5, o5 + i), a5);
      a6 = x.fma(FloatVector.fromArray(SPECIES, p6, o6 + i), a6);
      a7 = x.fma(FloatVector.fromArray(SPECIES, p7, o7 + i), a7);
    }
    float s0;
    float s1;
    float s2;
    float s3;
    float s4;
    float s5;
    float s6;
    float s7;
    if (LaneSums.JOINT) {
      FloatVector b01 = a0.add(a0.rearrange(LaneSums.UP0)).blend(a1.add(a1.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b23 = a2.add(a2.rearrange(LaneSums.UP0)).blend(a3.add(a3.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b45 = a4.add(a4.rearrange(LaneSums.UP0)).blend(a5.add(a5.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b67 = a6.add(a6.rearrange(LaneSums.UP0)).blend(a7.add(a7.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector c0 = b01.add(b01.rearrange(LaneSums.UP1)).blend(b23.add(b23.rearrange(LaneSums.DOWN1)), LaneSums.SET1);
      FloatVector c1 = b45.add(b45.rearrange(LaneSums.UP1)).blend(b67.add(b67.rearrange(LaneSums.DOWN1)), LaneSums.SET1);
      FloatVector z = c0.add(c0.rearrange(LaneSums.UP2)).blend(c1.add(c1.rearrange(LaneSums.DOWN2)), LaneSums.SET2);
      z = LaneSums.SIXTEEN ? z.add(z.rearrange(LaneSums.UP3)) : z;
      if (count == 8 && i == dimension) { // no tail: the eight distances leave in one store
        z = cosine ? z.neg().add(1f).max(0f) : z.neg(); // as finish(sum) does to each sum
        z.rearrange(LaneSums.PACK).reinterpretShape(LaneSums.EIGHT, 0).reinterpretAsFloats().intoArray(out, at);
        return;
      }
      s0 = z.lane(LaneSums.E0);
      s1 = z.lane(LaneSums.E1);
      s2 = z.lane(LaneSums.E2);
      s3 = z.lane(LaneSums.E3);
      s4 = z.lane(LaneSums.E4);
      s5 = z.lane(LaneSums.E5);
      s6 = z.lane(LaneSums.E6);
      s7 = z.lane(LaneSums.E7);
    } else {
      s0 = PanamaVectorKernel.sumLanes(a0);
      s1 = PanamaVectorKernel.sumLanes(a1);
      s2 = PanamaVectorKernel.sumLanes(a2);
      s3 = PanamaVectorKernel.sumLanes(a3);
      s4 = PanamaVectorKernel.sumLanes(a4);
      s5 = PanamaVectorKernel.sumLanes(a5);
      s6 = PanamaVectorKernel.sumLanes(a6);
      s7 = PanamaVectorKernel.sumLanes(a7);
    }
    for (; i < dimension; i++) {
      float y = q[qo + i];
      s0 += y * p0[o0 + i];
      s1 += y * p1[o1 + i];
      s2 += y * p2[o2 + i];
      s3 += y * p3[o3 + i];
      s4 += y * p4[o4 + i];
      s5 += y * p5[o5 + i];
      s6 += y * p6[o6 + i];
      s7 += y * p7[o7 + i];
    }
    out[at] = finish(s0);
    if (count > 1) {
      out[at + 1] = finish(s1);
    }
    if (count > 2) {
      out[at + 2] = finish(s2);
    }
    if (count > 3) {
      out[at + 3] = finish(s3);
    }
    if (count > 4) {
      out[at + 4] = finish(s4);
    }
    if (count > 5) {
      out[at + 5] = finish(s5);
    }
    if (count > 6) {
      out[at + 6] = finish(s6);
    }
    if (count > 7) {
      out[at + 7] = finish(s7);
    }
  }

  /** Distances to 4 vectors; with {@code count < 4} the last one stands in for the missing ones. */
  private void dotx4(float[] q, int qo, int[] nodes, int from, int count, float[] out, int at) {
    int last = from + count - 1;
    int n0 = nodes[from];
    int n1 = nodes[Math.min(from + 1, last)];
    int n2 = nodes[Math.min(from + 2, last)];
    int n3 = nodes[Math.min(from + 3, last)];
    float[] p0 = vectors.page(n0);
    float[] p1 = vectors.page(n1);
    float[] p2 = vectors.page(n2);
    float[] p3 = vectors.page(n3);
    int o0 = vectors.offset(n0);
    int o1 = vectors.offset(n1);
    int o2 = vectors.offset(n2);
    int o3 = vectors.offset(n3);
    FloatVector a0 = FloatVector.zero(SPECIES);
    FloatVector a1 = FloatVector.zero(SPECIES);
    FloatVector a2 = FloatVector.zero(SPECIES);
    FloatVector a3 = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dimension); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(SPECIES, q, qo + i);
      a0 = x.fma(FloatVector.fromArray(SPECIES, p0, o0 + i), a0);
      a1 = x.fma(FloatVector.fromArray(SPECIES, p1, o1 + i), a1);
      a2 = x.fma(FloatVector.fromArray(SPECIES, p2, o2 + i), a2);
      a3 = x.fma(FloatVector.fromArray(SPECIES, p3, o3 + i), a3);
    }
    float s0;
    float s1;
    float s2;
    float s3;
    if (LaneSums.JOINT) {
      FloatVector b01 = a0.add(a0.rearrange(LaneSums.UP0)).blend(a1.add(a1.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector b23 = a2.add(a2.rearrange(LaneSums.UP0)).blend(a3.add(a3.rearrange(LaneSums.DOWN0)), LaneSums.SET0);
      FloatVector z = b01.add(b01.rearrange(LaneSums.UP1)).blend(b23.add(b23.rearrange(LaneSums.DOWN1)), LaneSums.SET1);
      z = z.add(z.rearrange(LaneSums.UP2));
      z = LaneSums.SIXTEEN ? z.add(z.rearrange(LaneSums.UP3)) : z;
      s0 = z.lane(LaneSums.F0);
      s1 = z.lane(LaneSums.F1);
      s2 = z.lane(LaneSums.F2);
      s3 = z.lane(LaneSums.F3);
    } else {
      s0 = PanamaVectorKernel.sumLanes(a0);
      s1 = PanamaVectorKernel.sumLanes(a1);
      s2 = PanamaVectorKernel.sumLanes(a2);
      s3 = PanamaVectorKernel.sumLanes(a3);
    }
    for (; i < dimension; i++) {
      float y = q[qo + i];
      s0 += y * p0[o0 + i];
      s1 += y * p1[o1 + i];
      s2 += y * p2[o2 + i];
      s3 += y * p3[o3 + i];
    }
    out[at] = finish(s0);
    if (count > 1) {
      out[at + 1] = finish(s1);
    }
    if (count > 2) {
      out[at + 2] = finish(s2);
    }
    if (count > 3) {
      out[at + 3] = finish(s3);
    }
  }

  private float dotOne(float[] q, int qo, int node) {
    float[] p = vectors.page(node);
    int o = vectors.offset(node);
    FloatVector a = FloatVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(dimension); i < bound; i += LANES) {
      FloatVector x = FloatVector.fromArray(SPECIES, q, qo + i);
      a = x.fma(FloatVector.fromArray(SPECIES, p, o + i), a);
    }
    float s = PanamaVectorKernel.sumLanes(a);
    for (; i < dimension; i++) {
      s += q[qo + i] * p[o + i];
    }
    return finish(s);
  }
}
