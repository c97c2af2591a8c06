package io.vers.spi;

import io.vers.api.SearchResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * A binary heap of (distance, ordinal) pairs, each packed into one {@code long} so that comparing
 * longs compares distances first and ordinals second: no objects, no boxing. A min-queue pops the
 * nearest first (candidate queues); a max-queue keeps the farthest on top (bounded result sets, via
 * {@link #insertWithOverflow}).
 *
 * <p>Not thread-safe; intended as reusable per-thread scratch ({@link #clear()} is O(1)).
 */
public final class NeighborQueue {
  private final boolean maxHeap;
  private long[] heap;
  private int size;

  /**
   * @param initialCapacity starting capacity; the queue grows as needed
   * @param maxHeap whether the farthest entry is on top
   */
  public NeighborQueue(int initialCapacity, boolean maxHeap) {
    this.heap = new long[Math.max(1, initialCapacity) + 1];
    this.maxHeap = maxHeap;
  }

  /** Packs a distance and an ordinal into one long ordered by distance, then ordinal. */
  public static long encode(float distance, int ordinal) {
    return ((long) sortableBits(distance) << 32) | (ordinal & 0xFFFFFFFFL);
  }

  /** The distance of a packed entry. */
  public static float decodeDistance(long encoded) {
    int bits = (int) (encoded >> 32);
    return Float.intBitsToFloat(bits ^ ((bits >> 31) & 0x7FFFFFFF));
  }

  /** The ordinal of a packed entry. */
  public static int decodeOrdinal(long encoded) {
    return (int) encoded;
  }

  private static int sortableBits(float f) {
    int bits = Float.floatToIntBits(f);
    return bits ^ ((bits >> 31) & 0x7FFFFFFF);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Empties the queue; capacity is kept. */
  public void clear() {
    size = 0;
  }

  /** Adds an entry. */
  public void add(int ordinal, float distance) {
    push(store(encode(distance, ordinal)));
  }

  /**
   * For a max-queue bounded at {@code capacity}: adds the entry if the queue has room, or replaces the
   * top if the entry is nearer (smaller distance, then smaller ordinal).
   *
   * @return whether the entry was kept
   */
  public boolean insertWithOverflow(int ordinal, float distance, int capacity) {
    long e = encode(distance, ordinal);
    if (size < capacity) {
      push(store(e));
      return true;
    }
    long top = load(heap[1]);
    if (maxHeap ? e < top : e > top) {
      heap[1] = store(e);
      siftDown(1);
      return true;
    }
    return false;
  }

  /** The top entry's distance; the queue must not be empty. */
  public float topDistance() {
    return decodeDistance(load(heap[1]));
  }

  /** The top entry's ordinal; the queue must not be empty. */
  public int topOrdinal() {
    return decodeOrdinal(load(heap[1]));
  }

  /** Removes the top entry and returns its ordinal. */
  public int pop() {
    return decodeOrdinal(popEncoded());
  }

  /** Removes the top entry and returns it packed; see {@link #decodeDistance}, {@link #decodeOrdinal}. */
  public long popEncoded() {
    if (size == 0) {
      throw new IllegalStateException("queue is empty");
    }
    long top = heap[1];
    heap[1] = heap[size];
    size--;
    if (size > 0) {
      siftDown(1);
    }
    return load(top);
  }

  /** The packed entry at heap position {@code i} (0-based, heap order, not sorted). */
  public long entryAt(int i) {
    return load(heap[i + 1]);
  }

  /**
   * Drains the queue into results nearest first, mapping ordinals to ids. Empties the queue.
   *
   * @param idOf ordinal to caller id
   */
  public List<SearchResult> drainToResults(IntToLongFunction idOf) {
    long[] entries = new long[size];
    for (int i = 0; i < size; i++) {
      entries[i] = load(heap[i + 1]);
    }
    size = 0;
    Arrays.sort(entries);
    List<SearchResult> out = new ArrayList<>(entries.length);
    for (long e : entries) {
      out.add(new SearchResult(idOf.applyAsLong(decodeOrdinal(e)), decodeDistance(e)));
    }
    return out;
  }

  private long store(long e) {
    return maxHeap ? ~e : e;
  }

  private long load(long stored) {
    return maxHeap ? ~stored : stored;
  }

  private void push(long stored) {
    if (size + 1 == heap.length) {
      heap = Arrays.copyOf(heap, heap.length * 2);
    }
    int i = ++size;
    while (i > 1) {
      int parent = i >>> 1;
      if (heap[parent] <= stored) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = stored;
  }

  private void siftDown(int i) {
    long value = heap[i];
    int half = size >>> 1;
    while (i <= half) {
      int child = i << 1;
      if (child < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= value) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = value;
  }
}
