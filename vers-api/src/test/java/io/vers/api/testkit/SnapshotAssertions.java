package io.vers.api.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vers.api.IndexSnapshot;
import io.vers.api.SnapshotArray;
import java.lang.reflect.Array;
import java.util.List;
import java.util.Random;

/** Assertions on {@link IndexSnapshot}s, comparing arrays element by element, views included. */
public final class SnapshotAssertions {
  private SnapshotAssertions() {}

  /**
   * The same header, and the same parameters, scalars and arrays in the same order, each array with
   * the same type and elements (floats compared bit for bit).
   */
  public static void assertSameState(IndexSnapshot expected, IndexSnapshot actual) {
    assertEquals(expected.algorithm(), actual.algorithm());
    assertEquals(expected.stateVersion(), actual.stateVersion());
    assertEquals(expected.dimension(), actual.dimension());
    assertEquals(expected.metric(), actual.metric());
    assertEquals(expected.size(), actual.size());
    assertEquals(List.copyOf(expected.parameters().entrySet()), List.copyOf(actual.parameters().entrySet()));
    assertEquals(List.copyOf(expected.scalars().entrySet()), List.copyOf(actual.scalars().entrySet()));
    assertEquals(List.copyOf(expected.arrays().keySet()), List.copyOf(actual.arrays().keySet()));
    expected.arrays().forEach((name, array) -> assertSameArray(array, actual.arrays().get(name), name));
  }

  /** The same type, length and elements, floats compared bit for bit; names the first difference. */
  public static void assertSameArray(SnapshotArray expected, SnapshotArray actual, String name) {
    assertEquals(expected.type(), actual.type(), "type of array " + name);
    assertEquals(expected.length(), actual.length(), "length of array " + name);
    Object a = expected.toArray();
    Object b = actual.toArray();
    for (int i = 0; i < expected.length(); i++) {
      Object x = Array.get(a, i);
      Object y = Array.get(b, i);
      boolean same = x instanceof Float
          ? Float.floatToRawIntBits((Float) x) == Float.floatToRawIntBits((Float) y)
          : x.equals(y);
      if (!same) {
        throw new AssertionError(name + "[" + i + "]: expected " + bits(x) + ", got " + bits(y));
      }
    }
  }

  /**
   * Reading {@code actual} front to back in pieces of random sizes gives the elements of
   * {@code expected}, bit for bit.
   */
  public static void assertReadsInPieces(SnapshotArray expected, SnapshotArray actual, Random random, String name) {
    assertEquals(expected.type(), actual.type(), "type of array " + name);
    assertEquals(expected.length(), actual.length(), "length of array " + name);
    Object whole = expected.toArray();
    int length = actual.length();
    for (int from = 0; from < length; ) {
      int count = 1 + random.nextInt(Math.min(length - from, 2 + length / 7));
      Object piece = Array.newInstance(actual.type().getComponentType(), count);
      actual.read(from, piece, count);
      for (int i = 0; i < count; i++) {
        Object x = Array.get(whole, from + i);
        Object y = Array.get(piece, i);
        if (!x.equals(y)) {
          throw new AssertionError(name + "[" + (from + i) + "] read in a piece from " + from + " of " + count
              + ": expected " + bits(x) + ", got " + bits(y));
        }
      }
      from += count;
    }
  }

  private static String bits(Object value) {
    return value instanceof Float
        ? value + " (bits " + Integer.toHexString(Float.floatToRawIntBits((Float) value)) + ")"
        : String.valueOf(value);
  }
}
