package io.vers.hnsw;

import io.vers.spi.IdMap;
import io.vers.spi.RecallCalibrator;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The work an {@link HnswIndex} does after writes, with writers excluded: repairing tombstones away
 * ({@link #compact}) and, with {@code sq8}, learning the quantizer's ranges and encoding every vector
 * ({@link #quantizeIfNeeded}).
 *
 * <h2>Training and retraining</h2>
 * An {@code sq8} index keeps floats only until a write leaves it holding
 * {@link ScalarQuantizer#TRAIN_AT} vectors or more (a batch counts as one write, so it trains on the
 * whole batch). That write then learns the ranges from the live vectors and encodes every node into a
 * new {@link HnswVectors} generation (dropping the floats without {@code keepVectors}). Later vectors are
 * encoded as they are added; those {@linkplain ScalarQuantizer#farOutside far outside} the ranges are
 * counted, and when {@link ScalarQuantizer#shouldRetrain} holds at a write the ranges are learned again
 * from the held vectors (the floats if kept, else the decoded codes) and every node is re-encoded into
 * a new generation, which resets the count.
 *
 * <p>The swap happens under the structure's write lock, so no writer runs, and the lock is held until
 * every search that started on the old generation has finished ({@link ReaderEpochs#awaitReaders}):
 * a node added after the swap exists only in the new generation, so no search of the old one may still
 * be walking when writers go on. Searches never wait; writers wait for the encoding and for the
 * searches running at the swap. A write made from inside a search (a filter) does not train; a later
 * write does.
 */
final class HnswUpkeep {
  private final HnswConfig config;
  private final HnswGraph graph;
  private final IdMap ids;
  private final NodeSlots slots;
  private final HnswQueries queries;
  private final ReaderEpochs epochs;
  private final ReentrantReadWriteLock structure;
  private final RecallCalibrator calibrator;
  private final AtomicInteger retrains = new AtomicInteger();

  HnswUpkeep(HnswConfig config, HnswGraph graph, IdMap ids, NodeSlots slots, HnswQueries queries, ReaderEpochs epochs,
      ReentrantReadWriteLock structure, RecallCalibrator calibrator) {
    this.config = config;
    this.graph = graph;
    this.ids = ids;
    this.slots = slots;
    this.queries = queries;
    this.epochs = epochs;
    this.structure = structure;
    this.calibrator = calibrator;
  }

  /** Repairs the graph if tombstones exceed {@link HnswIndex#TOMBSTONE_RATIO} of the nodes. */
  void compactIfNeeded() {
    int pending = slots.tombstoneCount();
    if (pending > 0 && pending > HnswIndex.TOMBSTONE_RATIO * graph.size()) {
      compact(false);
    }
  }

  /** Repairs the graph: always, or only while tombstones exceed the ratio. */
  void compact(boolean always) {
    if (queries.searchingOnThisThread()) {
      return; // called from a filter: this thread's own search may hold the tombstones
    }
    int[] unlinked;
    structure.writeLock().lock();
    try {
      int pending = slots.tombstoneCount();
      if (pending == 0 || (!always && pending <= HnswIndex.TOMBSTONE_RATIO * graph.size())) {
        return;
      }
      SearchScratch work = queries.acquireScratch();
      try {
        queries.engine().repair.repair(work);
      } finally {
        work.inUse = false;
      }
      unlinked = slots.takeTombstones();
    } finally {
      structure.writeLock().unlock();
    }
    epochs.awaitReaders();
    structure.readLock().lock(); // clearing writes the graph: not while a snapshot reads it
    try {
      slots.release(unlinked);
    } finally {
      structure.readLock().unlock();
    }
  }

  /** Trains or retrains the quantizer when the policy in the class documentation says so. */
  void quantizeIfNeeded() {
    if (!config.sq8() || !due(queries.engine().vectors) || queries.searchingOnThisThread()) {
      return;
    }
    structure.writeLock().lock();
    try {
      HnswVectors current = queries.engine().vectors;
      if (!due(current)) {
        return;
      }
      HnswVectors next = current.train(graph, graph.size(), config.keepVectors());
      if (next == current) {
        return;
      }
      queries.setEngine(new HnswEngine(next, graph, ids, config));
      epochs.awaitReaders();
      if (current.quantized()) {
        retrains.incrementAndGet();
      }
    } finally {
      structure.writeLock().unlock();
    }
    calibrator.recordWrites(Math.max(1, ids.size())); // distances changed: the next calibration measures anew
  }

  private boolean due(HnswVectors vectors) {
    int size = ids.size();
    return vectors.quantized() ? ScalarQuantizer.shouldRetrain(vectors.farOutside(), size)
        : size >= ScalarQuantizer.TRAIN_AT;
  }

  /** {@return how many times the ranges were learned again after the first training} */
  int retrains() {
    return retrains.get();
  }
}
