package io.vers.ivfflat;

import io.vers.api.ProgressListener;

/** Reports a bulk operation's progress monotonically, at most about 200 times. Thread-safe. */
final class Progress {
  private final ProgressListener listener;
  private final long total;
  private final long step;
  private long done;
  private long reported;

  Progress(ProgressListener listener, long total) {
    this.listener = listener;
    this.total = total;
    this.step = Math.max(1, total / 200);
  }

  /** Counts {@code units} more done, reporting when a step has passed. */
  synchronized void advance(long units) {
    done += units;
    if (done - reported >= step && done < total) {
      reported = done;
      listener.progress(done, total);
    }
  }

  /** Reports the total. */
  synchronized void finish() {
    listener.progress(total, total);
  }
}
