package io.vers.spi.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class LaneSumsTest {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /**
   * Lanes of mixed magnitudes and signs, so that any change in the order of the additions would show in
   * the rounding.
   */
  private static FloatVector[] accumulators(long seed, int count) {
    Random random = new Random(seed);
    FloatVector[] a = new FloatVector[count];
    for (int j = 0; j < count; j++) {
      float[] lanes = new float[SPECIES.length()];
      for (int i = 0; i < lanes.length; i++) {
        lanes[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(9) - 4));
      }
      a[j] = FloatVector.fromArray(SPECIES, lanes, 0);
    }
    return a;
  }

  private static void assertSameBits(float expected, float actual, String what) {
    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), what + ": " + expected + " vs " + actual);
  }

  @Property(tries = 200)
  void eightSumsAreEachAccumulatorsSumLanesBitForBit(@ForAll long seed) {
    assumeTrue(LaneSums.JOINT, "joint sums need 8 or 16 float lanes");
    FloatVector[] a = accumulators(seed, 8);
    FloatVector z = LaneSums.of8(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    int[] lanes = {LaneSums.E0, LaneSums.E1, LaneSums.E2, LaneSums.E3, LaneSums.E4, LaneSums.E5, LaneSums.E6,
        LaneSums.E7};
    for (int j = 0; j < 8; j++) {
      assertSameBits(PanamaVectorKernel.sumLanes(a[j]), z.lane(lanes[j]), "accumulator " + j);
    }
  }

  @Property(tries = 200)
  void fourSumsAreEachAccumulatorsSumLanesBitForBit(@ForAll long seed) {
    assumeTrue(LaneSums.JOINT, "joint sums need 8 or 16 float lanes");
    FloatVector[] a = accumulators(seed, 4);
    FloatVector z = LaneSums.of4(a[0], a[1], a[2], a[3]);
    int[] lanes = {LaneSums.F0, LaneSums.F1, LaneSums.F2, LaneSums.F3};
    for (int j = 0; j < 4; j++) {
      assertSameBits(PanamaVectorKernel.sumLanes(a[j]), z.lane(lanes[j]), "accumulator " + j);
    }
  }
}
