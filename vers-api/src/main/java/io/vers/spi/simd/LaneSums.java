package io.vers.spi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lane sums of four or eight accumulators at once, each bit for bit the value
 * {@link PanamaVectorKernel#sumLanes} gives for it alone. {@code sumLanes} halves one vector at a time:
 * lane {@code i} plus lane {@code i + L/2}, then plus the lane {@code L/4} away, and so on. Here two
 * accumulators share each halving step: one is rotated up by the step's distance, the other down, and a
 * blend keeps the first one's sums in the lanes whose bit for that distance is clear and the second
 * one's where it is set. Float addition is commutative, so every lane sees the same additions in the same
 * tree as {@code sumLanes} would give it; eight accumulators take 15 rearrangements instead of 32.
 * Accumulator {@code j} ends in lane {@code E[j]} of the vector returned (the constants below).
 *
 * <p>Defined for 8 or 16 float lanes ({@link #JOINT}); otherwise callers use {@code sumLanes}.
 */
final class LaneSums {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  /** Whether this species has the lanes the joint sums need. */
  static final boolean JOINT = LANES == 8 || LANES == 16;

  private static final int H0 = Math.max(1, LANES / 2);
  private static final int H1 = Math.max(1, LANES / 4);
  private static final int H2 = Math.max(1, LANES / 8);

  /** The lane of accumulator {@code j} in {@link #of8}. */
  static final int E0 = 0;
  static final int E1 = H0;
  static final int E2 = H1;
  static final int E3 = H0 + H1;
  static final int E4 = H2;
  static final int E5 = H0 + H2;
  static final int E6 = H1 + H2;
  static final int E7 = H0 + H1 + H2;
  /** The lane of accumulator {@code j} in {@link #of4}. */
  static final int F0 = 0;
  static final int F1 = H0;
  static final int F2 = H1;
  static final int F3 = H0 + H1;

  private static final VectorShuffle<Float> UP0 = rotation(H0);
  private static final VectorShuffle<Float> DOWN0 = rotation(LANES - H0);
  private static final VectorMask<Float> SET0 = bitSet(H0);
  private static final VectorShuffle<Float> UP1 = rotation(H1);
  private static final VectorShuffle<Float> DOWN1 = rotation(LANES - H1);
  private static final VectorMask<Float> SET1 = bitSet(H1);
  private static final VectorShuffle<Float> UP2 = rotation(H2);
  private static final VectorShuffle<Float> DOWN2 = rotation(LANES - H2);
  private static final VectorMask<Float> SET2 = bitSet(H2);
  /** The last halving of 16 lanes, which eight accumulators no longer share. */
  private static final VectorShuffle<Float> UP3 = rotation(1);

  private LaneSums() {}

  private static VectorShuffle<Float> rotation(int shift) {
    return VectorShuffle.fromOp(SPECIES, i -> (i + shift) % LANES);
  }

  private static VectorMask<Float> bitSet(int bit) {
    boolean[] set = new boolean[LANES];
    for (int i = 0; i < LANES; i++) {
      set[i] = (i & bit) != 0;
    }
    return VectorMask.fromArray(SPECIES, set, 0);
  }

  /**
   * The lane sums of eight accumulators; accumulator {@code j}'s in lane {@code Ej}. Written out in one
   * method with the vector operations called directly: the JIT then keeps the accumulators in registers
   * wherever a kernel inlines this method.
   */
  static FloatVector of8(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, FloatVector a4,
      FloatVector a5, FloatVector a6, FloatVector a7) {
    FloatVector b01 = a0.add(a0.rearrange(UP0)).blend(a1.add(a1.rearrange(DOWN0)), SET0);
    FloatVector b23 = a2.add(a2.rearrange(UP0)).blend(a3.add(a3.rearrange(DOWN0)), SET0);
    FloatVector b45 = a4.add(a4.rearrange(UP0)).blend(a5.add(a5.rearrange(DOWN0)), SET0);
    FloatVector b67 = a6.add(a6.rearrange(UP0)).blend(a7.add(a7.rearrange(DOWN0)), SET0);
    FloatVector c0 = b01.add(b01.rearrange(UP1)).blend(b23.add(b23.rearrange(DOWN1)), SET1);
    FloatVector c1 = b45.add(b45.rearrange(UP1)).blend(b67.add(b67.rearrange(DOWN1)), SET1);
    FloatVector d = c0.add(c0.rearrange(UP2)).blend(c1.add(c1.rearrange(DOWN2)), SET2);
    return LANES == 16 ? d.add(d.rearrange(UP3)) : d;
  }

  /** The lane sums of four accumulators; accumulator {@code j}'s in lane {@code Fj}. */
  static FloatVector of4(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
    FloatVector b01 = a0.add(a0.rearrange(UP0)).blend(a1.add(a1.rearrange(DOWN0)), SET0);
    FloatVector b23 = a2.add(a2.rearrange(UP0)).blend(a3.add(a3.rearrange(DOWN0)), SET0);
    FloatVector c = b01.add(b01.rearrange(UP1)).blend(b23.add(b23.rearrange(DOWN1)), SET1);
    c = c.add(c.rearrange(UP2));
    return LANES == 16 ? c.add(c.rearrange(UP3)) : c;
  }
}
