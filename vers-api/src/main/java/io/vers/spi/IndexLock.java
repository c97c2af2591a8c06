package io.vers.spi;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The lock of an index whose searches share access and whose writes are exclusive, with a third mode
 * for {@link io.vers.api.Index#withSnapshot}: {@link #lockWriters()} keeps writers out for as long
 * as a snapshot is being written, without keeping searches out.
 *
 * <p>One {@link ReentrantReadWriteLock} cannot do that: a snapshot holding its read lock for seconds
 * would make the next writer wait, and every search after that writer would queue behind it. Here
 * writers first pass a gate that {@link #lockWriters()} closes, so a waiting writer never holds up
 * searches. A thread holding {@link #lockWriters()} must not write.
 */
public final class IndexLock {
  private final ReentrantReadWriteLock access = new ReentrantReadWriteLock();
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();

  /** Shared access, for searches and other reads. */
  public void lockRead() {
    access.readLock().lock();
  }

  public void unlockRead() {
    access.readLock().unlock();
  }

  /**
   * Exclusive access, for writes; waits while {@link #lockWriters()} is held.
   *
   * @throws IllegalStateException if this thread holds {@link #lockWriters()}
   */
  public void lockWrite() {
    if (gate.isWriteLockedByCurrentThread()) {
      throw new IllegalStateException("an index cannot be written while this thread takes a snapshot of it");
    }
    gate.readLock().lock();
    try {
      access.writeLock().lock();
    } catch (RuntimeException | Error e) {
      gate.readLock().unlock();
      throw e;
    }
  }

  public void unlockWrite() {
    access.writeLock().unlock();
    gate.readLock().unlock();
  }

  /**
   * Keeps writers out, waiting for the running one to finish; searches go on. A thread that already
   * keeps writers out, because it holds {@link #lockRead()} (a search, whose filter saves the index) or
   * {@link #lockWrite()} (a write, whose progress listener saves it), takes nothing: waiting at the gate
   * would deadlock it against a writer waiting for it.
   *
   * @return whether the gate was closed, so that {@link #unlockWriters()} must be called
   */
  public boolean lockWriters() {
    if (access.getReadHoldCount() > 0 || access.isWriteLockedByCurrentThread()) {
      return false;
    }
    gate.writeLock().lock();
    return true;
  }

  /** Opens the gate {@link #lockWriters()} closed. */
  public void unlockWriters() {
    gate.writeLock().unlock();
  }
}
