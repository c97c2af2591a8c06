package io.vers.hnsw;

import io.vers.spi.RamUsage;
import java.util.Arrays;

/** A growable list of ints. Not thread-safe. */
final class IntList {
  private int[] values = new int[8];
  private int size;

  void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  int pop() {
    return values[--size];
  }

  int size() {
    return size;
  }

  void clear() {
    size = 0;
  }

  int[] toArray() {
    return Arrays.copyOf(values, size);
  }

  long ramBytesUsed() {
    return 24 + RamUsage.sizeOf(values);
  }
}
