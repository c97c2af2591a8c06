package io.vers.spi.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The constants of the joint lane sums the batch kernels ({@link PanamaBatchDistance},
 * {@link PanamaCodeDots}) end with: the lane sums of four or eight accumulators at once, each bit for bit
 * the value {@link PanamaVectorKernel#sumLanes} gives for it alone. {@code sumLanes} halves one vector at a time:
 * lane {@code i} plus lane {@code i + L/2}, then plus the lane {@code L/4} away, and so on. Here two
 * accumulators share each halving step: one is rotated up by the step's distance, the other down, and a
 * blend keeps the first one's sums in the lanes whose bit for that distance is clear and the second
 * one's where it is set. Float addition is commutative, so every lane sees the same additions in the same
 * tree as {@code sumLanes} would give it; eight accumulators take 15 rearrangements instead of 32.
 * Accumulator {@code j} of eight ends in lane {@code E[j]}, of four in lane {@code F[j]} (the constants
 * below).
 *
 * <p>Each kernel writes the steps out inline rather than calling a shared method. C2 will not inline a
 * callee it has already compiled on its own into more than {@code InlineSmallCode} bytes, and a shared
 * sum gets compiled on its own as soon as one kernel's unoptimized code calls it often enough; every
 * kernel compiled after that would pass its accumulators on the heap, at half the speed (measured: a
 * cosine search after an L2 workload in the same JVM, 9,500 against 16,300 queries per second).
 *
 * <p>Defined for 8 or 16 float lanes ({@link #JOINT}); otherwise callers use {@code sumLanes}.
 */
final class LaneSums {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  /** Whether this species has the lanes the joint sums need. */
  static final boolean JOINT = LANES == 8 || LANES == 16;
  /** Whether a joint sum takes the last halving step, which sixteen lanes need. */
  static final boolean SIXTEEN = LANES == 16;

  private static final int H0 = Math.max(1, LANES / 2);
  private static final int H1 = Math.max(1, LANES / 4);
  private static final int H2 = Math.max(1, LANES / 8);

  /** The lane of accumulator {@code j} of eight summed jointly. */
  static final int E0 = 0;
  static final int E1 = H0;
  static final int E2 = H1;
  static final int E3 = H0 + H1;
  static final int E4 = H2;
  static final int E5 = H0 + H2;
  static final int E6 = H1 + H2;
  static final int E7 = H0 + H1 + H2;
  /** The lane of accumulator {@code j} of four summed jointly. */
  static final int F0 = 0;
  static final int F1 = H0;
  static final int F2 = H1;
  static final int F3 = H0 + H1;
  /**
   * Moves the eight joint sums to lanes 0 to 7 in accumulator order (with 8 lanes, a permutation; with
   * 16, lanes 8 to 15 repeat lane 0); then {@link #EIGHT} takes the first eight lanes for one store.
   */
  static final VectorShuffle<Float> PACK = JOINT
      ? VectorShuffle.fromOp(SPECIES, i -> i < 8 ? new int[] {E0, E1, E2, E3, E4, E5, E6, E7}[i] : E0) : null;
  /** The shape of eight float lanes. */
  static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;

  static final VectorShuffle<Float> UP0 = rotation(H0);
  static final VectorShuffle<Float> DOWN0 = rotation(LANES - H0);
  static final VectorMask<Float> SET0 = bitSet(H0);
  static final VectorShuffle<Float> UP1 = rotation(H1);
  static final VectorShuffle<Float> DOWN1 = rotation(LANES - H1);
  static final VectorMask<Float> SET1 = bitSet(H1);
  static final VectorShuffle<Float> UP2 = rotation(H2);
  static final VectorShuffle<Float> DOWN2 = rotation(LANES - H2);
  static final VectorMask<Float> SET2 = bitSet(H2);
  /** The last halving of 16 lanes, which eight accumulators no longer share. */
  static final VectorShuffle<Float> UP3 = rotation(1);

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
}
