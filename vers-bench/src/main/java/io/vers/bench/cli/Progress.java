package io.vers.bench.cli;

import io.vers.api.ProgressListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on the terminal (standard error, so that standard output stays clean for tables), or
 * nothing when disabled. Thread-safe: a {@link Task} may be updated from several threads.
 */
public final class Progress {
  private static final Progress NONE = new Progress(null);

  private final PrintStream stream;

  private Progress(PrintStream stream) {
    this.stream = stream;
  }

  /** Progress bars drawn on {@code stream}. */
  public static Progress to(PrintStream stream) {
    return new Progress(stream);
  }

  /** No progress output. */
  public static Progress none() {
    return NONE;
  }

  /** Starts a bar counting {@code total} items (or an indefinite one when {@code total < 0}). */
  public Task start(String name, long total) {
    return start(name, total, "", 1);
  }

  /** Starts a bar counting bytes, shown in MiB (KiB for less than 16 MiB). */
  public Task startBytes(String name, long totalBytes) {
    return totalBytes >= 16L << 20 ? start(name, totalBytes, " MiB", 1L << 20) : start(name, totalBytes, " KiB", 1024);
  }

  private Task start(String name, long total, String unit, long unitSize) {
    if (stream == null) {
      return Task.NONE;
    }
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setUnit(unit, unitSize)
        .setConsumer(new ConsoleProgressBarConsumer(stream, 100))
        .build();
    return new Task(bar);
  }

  /** One running bar; also a {@link ProgressListener} for the vers API. Close it when done. */
  public static class Task implements ProgressListener, AutoCloseable {
    static final Task NONE = new Task(null);

    private final ProgressBar bar;

    Task(ProgressBar bar) {
      this.bar = bar;
    }

    @Override
    public void progress(long done, long total) {
      if (bar != null) {
        synchronized (bar) {
          if (total > 0 && total != bar.getMax()) {
            bar.maxHint(total);
          }
          if (done > bar.getCurrent()) {
            bar.stepTo(done);
          }
        }
      }
    }

    /** Moves the bar to {@code done} items. */
    public void stepTo(long done) {
      if (bar != null) {
        synchronized (bar) {
          bar.stepTo(done);
        }
      }
    }

    /** Marks the work as complete and removes the bar's thread. */
    @Override
    public void close() {
      if (bar != null) {
        synchronized (bar) {
          if (bar.getMax() > 0) {
            bar.stepTo(bar.getMax());
          }
        }
        bar.close();
      }
    }
  }
}
