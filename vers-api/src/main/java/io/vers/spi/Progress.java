package io.vers.spi;

import io.vers.api.ProgressListener;

/**
 * Reports a bulk operation's progress to a {@link ProgressListener}: monotonically, from any number of
 * threads, at most once per 1% of the total or per 1,024 units, whichever is more, and always at the
 * end. For index implementations; no compatibility promise to applications.
 */
public final class Progress {
  private final ProgressListener listener;
  private final long total;
  private final long step;
  private long done;
  private long reported;

  /**
   * Progress towards {@code total} units.
   *
   * @param listener where to report
   * @param total the units of the whole operation
   */
  public Progress(ProgressListener listener, long total) {
    this.listener = listener;
    this.total = total;
    this.step = Math.max(1024, total / 100);
  }

  /** Counts {@code units} more done, reporting when a step has passed since the last report. */
  public synchronized void advance(long units) {
    done += units;
    if (done - reported >= step && done < total) {
      reported = done;
      listener.progress(done, total);
    }
  }

  /** Reports the total, once. */
  public synchronized void finish() {
    if (reported < total) {
      reported = total;
      listener.progress(total, total);
    }
  }
}
