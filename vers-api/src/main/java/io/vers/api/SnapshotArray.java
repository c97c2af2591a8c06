package io.vers.api;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkPositionIndexes;

import java.lang.reflect.Array;
import java.util.Objects;

/**
 * One array of an {@link IndexSnapshot}: an {@code int[]}, {@code long[]}, {@code float[]} or
 * {@code byte[]}, either held whole ({@link #of}) or read a range at a time from an index's own
 * storage ({@link #view}), so that persisting an index need not copy it first.
 *
 * <p>A view is valid only while its index holds still, that is, inside
 * {@link Index#withSnapshot}; {@link #toArray()} turns it into an array that stays valid.
 */
public final class SnapshotArray {
  /** Copies a range of a view's elements into an array of the view's type. */
  @FunctionalInterface
  public interface RangeReader {
    /**
     * Copies elements {@code from .. from + count - 1} into {@code dst[0 .. count - 1]}; the caller has
     * checked the range and that {@code dst} is an array of the view's type with room for them.
     *
     * @param from the first element to copy, in {@code [0, length]}
     * @param dst the destination array, of the view's type
     * @param count the number of elements to copy, at least 0
     */
    void read(int from, Object dst, int count);
  }

  private final Class<?> type;
  private final int length;
  private final Object array;
  private final RangeReader reader;

  private SnapshotArray(Class<?> type, int length, Object array, RangeReader reader) {
    this.type = type;
    this.length = length;
    this.array = array;
    this.reader = reader;
  }

  /**
   * The whole {@code array}, not copied.
   *
   * @param array the array to hold
   * @return the array as a snapshot array
   * @throws IllegalArgumentException unless it is an {@code int[]}, {@code long[]}, {@code float[]} or
   *     {@code byte[]}
   */
  public static SnapshotArray of(Object array) {
    Objects.requireNonNull(array, "array");
    checkType(array.getClass());
    return new SnapshotArray(array.getClass(), Array.getLength(array), array, null);
  }

  /**
   * A view of the first {@code length} elements of {@code array}, read in place: valid while they do
   * not change.
   *
   * @param array an {@code int[]}, {@code long[]}, {@code float[]} or {@code byte[]}
   * @param length the number of leading elements to expose, in {@code [0, array.length]}
   * @return a view of the prefix
   * @throws IllegalArgumentException if {@code array} has another type or {@code length} is out of range
   */
  public static SnapshotArray prefix(Object array, int length) {
    SnapshotArray whole = of(array);
    checkArgument(length >= 0 && length <= whole.length, "length %s outside [0, %s]", length, whole.length);
    return view(whole.type, length, (from, dst, count) -> System.arraycopy(array, from, dst, 0, count));
  }

  /**
   * An array of {@code length} elements of {@code type} that {@code reader} produces on demand.
   *
   * @param type {@code int[].class}, {@code long[].class}, {@code float[].class} or {@code byte[].class}
   * @param length the number of elements, at least 0
   * @param reader copies ranges of the elements on demand
   * @return the view
   * @throws IllegalArgumentException if {@code type} is not one of the four or {@code length < 0}
   */
  public static SnapshotArray view(Class<?> type, int length, RangeReader reader) {
    checkType(type);
    checkArgument(length >= 0, "length must not be negative, got %s", length);
    return new SnapshotArray(type, length, null, Objects.requireNonNull(reader, "reader"));
  }

  private static void checkType(Class<?> type) {
    checkArgument(type == int[].class || type == long[].class || type == float[].class || type == byte[].class,
        "a snapshot array is an int[], long[], float[] or byte[], not %s", type.getSimpleName());
  }

  /**
   * {@return the array class: {@code int[].class}, {@code long[].class}, {@code float[].class} or {@code
   * byte[].class}}
   */
  public Class<?> type() {
    return type;
  }

  /** {@return the number of elements} */
  public int length() {
    return length;
  }

  /** {@return whether this array reads an index's storage on demand (see {@link #view})} */
  public boolean isView() {
    return reader != null;
  }

  /**
   * Copies elements {@code from .. from + count - 1} into the start of {@code dst}.
   *
   * @param from the first element to copy
   * @param dst the destination array
   * @param count the number of elements to copy
   * @throws IllegalArgumentException if {@code dst} is not an array of {@link #type()} with at least
   *     {@code count} elements
   * @throws IndexOutOfBoundsException if the range is not within {@code 0 .. length()}
   */
  public void read(int from, Object dst, int count) {
    checkArgument(dst != null && dst.getClass() == type, "dst must be a %s, got %s", type.getSimpleName(),
        dst == null ? null : dst.getClass().getSimpleName());
    checkPositionIndexes(from, from + count, length);
    checkArgument(Array.getLength(dst) >= count, "dst is shorter than %s", count);
    if (reader == null) {
      System.arraycopy(array, from, dst, 0, count);
    } else {
      reader.read(from, dst, count);
    }
  }

  /**
   * The elements as one array: the array itself if held whole (not a copy), otherwise a new array.
   *
   * @return the elements; do not change them
   */
  public Object toArray() {
    if (reader == null) {
      return array;
    }
    Object copy = Array.newInstance(type.getComponentType(), length);
    reader.read(0, copy, length);
    return copy;
  }

  /**
   * This array held whole: itself if it is, otherwise the elements read into a new array.
   *
   * @return an equivalent array that does not depend on the index's storage
   */
  public SnapshotArray materialize() {
    return reader == null ? this : new SnapshotArray(type, length, toArray(), null);
  }

  @Override
  public String toString() {
    return type.getComponentType() + "[" + length + "]" + (reader == null ? "" : " (view)");
  }
}
