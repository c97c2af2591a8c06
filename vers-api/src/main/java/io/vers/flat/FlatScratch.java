package io.vers.flat;

import io.vers.spi.NeighborQueue;

/**
 * One thread's reusable buffers for searches of a quantized {@link FlatIndex}: the prepared query, the
 * candidate heap of the code stage, and a decoded vector. Taken from the index's thread-local and
 * marked busy while in use, so that a search started from inside another (by a filter) gets buffers of
 * its own.
 */
final class FlatScratch {
  final float[] prepared;
  final float[] decoded;
  final NeighborQueue candidates = new NeighborQueue(64, true);
  private boolean busy;

  private FlatScratch(int dimension) {
    this.prepared = new float[dimension + 2];
    this.decoded = new float[dimension];
  }

  /** This thread's buffers, or fresh ones when they are in use further up the stack. */
  static FlatScratch acquire(ThreadLocal<FlatScratch> local, int dimension) {
    FlatScratch s = local.get();
    if (s == null) {
      s = new FlatScratch(dimension);
      local.set(s);
    } else if (s.busy) {
      s = new FlatScratch(dimension);
    }
    s.busy = true;
    return s;
  }

  void release() {
    busy = false;
  }
}
