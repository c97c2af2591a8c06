package io.vers.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.testkit.SnapshotAssertions;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotArrayTest {
  @Test
  void aWholeArrayIsHandedOutAsIs() {
    float[] values = {1, 2, 3};
    SnapshotArray array = SnapshotArray.of(values);
    assertFalse(array.isView());
    assertEquals(float[].class, array.type());
    assertEquals(3, array.length());
    assertSame(values, array.toArray());
    assertSame(array, array.materialize());
    float[] piece = new float[2];
    array.read(1, piece, 2);
    assertArrayEquals(new float[] {2, 3}, piece);
  }

  @Test
  void aViewReadsItsSourceOnDemand() {
    long[] source = {10, 11, 12, 13, 14};
    SnapshotArray prefix = SnapshotArray.prefix(source, 4);
    assertTrue(prefix.isView());
    assertEquals(4, prefix.length());
    source[1] = 99; // a view sees its source as it is when read
    assertArrayEquals(new long[] {10, 99, 12, 13}, (long[]) prefix.toArray());
    SnapshotArray copy = prefix.materialize();
    assertFalse(copy.isView());
    source[0] = -1;
    assertArrayEquals(new long[] {10, 99, 12, 13}, (long[]) copy.toArray(), "a materialized view is a copy");
    SnapshotAssertions.assertReadsInPieces(
        SnapshotArray.of(new long[] {-1, 99, 12, 13}), prefix, new Random(1), "prefix");
  }

  @Test
  void readsAreCheckedBeforeTheSourceIsTouched() {
    SnapshotArray view = SnapshotArray.view(int[].class, 10, (from, dst, count) -> {
      throw new AssertionError("the reader must not be called");
    });
    assertThrows(IndexOutOfBoundsException.class, () -> view.read(8, new int[3], 3));
    assertThrows(IndexOutOfBoundsException.class, () -> view.read(-1, new int[3], 3));
    assertThrows(IndexOutOfBoundsException.class, () -> view.read(Integer.MAX_VALUE, new int[3], 3));
    assertThrows(IllegalArgumentException.class, () -> view.read(0, new long[3], 3));
    assertThrows(IllegalArgumentException.class, () -> view.read(0, new int[2], 3));
    assertThrows(IllegalArgumentException.class, () -> view.read(0, null, 3));
    assertThrows(IllegalArgumentException.class, () -> SnapshotArray.of(new double[1]));
    assertThrows(IllegalArgumentException.class, () -> SnapshotArray.view(Object[].class, 1, (f, d, c) -> { }));
    assertThrows(IllegalArgumentException.class, () -> SnapshotArray.view(int[].class, -1, (f, d, c) -> { }));
    assertThrows(IllegalArgumentException.class, () -> SnapshotArray.prefix(new int[2], 3));
  }

  @Test
  void materializingASnapshotCopiesOnlyItsViews() throws Exception {
    byte[] whole = {1, 2};
    int[] source = {5, 6, 7};
    IndexSnapshot snapshot = IndexSnapshot.builder("flat", 1, 2, Metric.L2, 1)
        .bytes("whole", whole)
        .array("view", SnapshotArray.prefix(source, 2))
        .build();
    IndexSnapshot kept = snapshot.materialize();
    assertNotSame(snapshot, kept);
    assertSame(kept, kept.materialize());
    source[0] = 0;
    assertSame(whole, kept.bytes("whole"));
    assertArrayEquals(new int[] {5, 6}, kept.ints("view"));
    assertArrayEquals(new int[] {0, 6}, snapshot.ints("view"), "the typed getter reads a view afresh");
    assertThrows(CorruptIndexException.class, () -> kept.floats("view"));
  }
}
