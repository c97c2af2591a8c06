package io.vers.spi;

import com.carrotsearch.hppc.LongIntHashMap;
import io.vers.api.SnapshotArray;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The two-way mapping between callers' {@code long} ids and an index's int ordinals: a primitive
 * {@code long -> int} hash map (no boxing) and a {@code long[]} from ordinal to id.
 *
 * <p>Thread-safe. Lookups by id take a read lock; {@link #idOf(int)}, the call on search paths, is
 * lock-free and sees every mapping published before the ordinal reached the reader.
 */
public final class IdMap {
  private final LongIntHashMap idToOrd;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private volatile long[] ordToId;

  public IdMap() {
    this(16);
  }

  public IdMap(int expectedOrdinals) {
    ordToId = new long[Math.max(1, expectedOrdinals)];
    idToOrd = new LongIntHashMap(Math.max(4, expectedOrdinals));
  }

  /** The ordinal of {@code id}, or -1 if absent. */
  public int get(long id) {
    lock.readLock().lock();
    try {
      return idToOrd.getOrDefault(id, -1);
    } finally {
      lock.readLock().unlock();
    }
  }

  public boolean contains(long id) {
    return get(id) >= 0;
  }

  /** The id stored at {@code ord}; undefined for an ordinal never {@link #put}. */
  public long idOf(int ord) {
    return ordToId[ord];
  }

  /**
   * Maps {@code id} to {@code ord} (and {@code ord} back to {@code id}).
   *
   * @return the ordinal {@code id} had before, or -1
   */
  public int put(long id, int ord) {
    lock.writeLock().lock();
    try {
      long[] ids = ordToId;
      if (ord >= ids.length) {
        ids = Arrays.copyOf(ids, Math.max(ord + 1, (int) Math.min(Integer.MAX_VALUE - 8, ids.length * 3L / 2 + 16)));
      }
      ids[ord] = id;
      ordToId = ids;
      int previous = idToOrd.getOrDefault(id, -1);
      idToOrd.put(id, ord);
      return previous;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Removes {@code id}.
   *
   * @return the ordinal it had, or -1 if absent
   */
  public int remove(long id) {
    lock.writeLock().lock();
    try {
      int ord = idToOrd.getOrDefault(id, -1);
      if (ord >= 0) {
        idToOrd.remove(id);
      }
      return ord;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The number of ids mapped. */
  public int size() {
    lock.readLock().lock();
    try {
      return idToOrd.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Forgets every id. */
  public void clear() {
    lock.writeLock().lock();
    try {
      idToOrd.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The ordinal-to-id table for the first {@code count} ordinals, copied. */
  public long[] idsOf(int count) {
    return Arrays.copyOf(ordToId, count);
  }

  /**
   * The ids of ordinals {@code 0 .. count - 1} as a snapshot view that reads this map in place. Valid
   * while none of those ordinals is assigned.
   */
  public SnapshotArray view(int count) {
    return SnapshotArray.prefix(ordToId, count);
  }

  /** Heap bytes held, including spare capacity. */
  public long ramBytesUsed() {
    lock.readLock().lock();
    try {
      return 64 + idToOrd.ramBytesAllocated() + RamUsage.sizeOf(ordToId);
    } finally {
      lock.readLock().unlock();
    }
  }
}
