package io.vers.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class VisitedSetTest {
  /**
   * visitAll keeps, in order, exactly the ordinals that visit, called on each in turn, reports as new:
   * across epochs, with repeats inside one call, and with ordinals past the capacity.
   */
  @Property(tries = 200)
  void visitAllKeepsWhatVisitOneByOneWouldKeep(@ForAll long seed) {
    Random random = new Random(seed);
    int range = 1 + random.nextInt(300);
    VisitedSet batched = new VisitedSet(1 + random.nextInt(range));
    VisitedSet single = new VisitedSet(1 + random.nextInt(range));
    for (int epoch = 0; epoch < 5; epoch++) {
      batched.clear(range / 2);
      single.clear(range / 2);
      for (int call = 0; call < 10; call++) {
        int[] nodes = random.ints(random.nextInt(40), 0, range).toArray();
        int[] expected = Arrays.stream(nodes).filter(single::visit).toArray();
        int[] kept = nodes.clone();
        int fresh = batched.visitAll(kept, kept.length);
        assertArrayEquals(expected, Arrays.copyOf(kept, fresh), "seed " + seed);
      }
      for (int ord = 0; ord < range; ord++) {
        assertEquals(single.isVisited(ord), batched.isVisited(ord), "seed " + seed + ", ordinal " + ord);
      }
    }
  }
}
