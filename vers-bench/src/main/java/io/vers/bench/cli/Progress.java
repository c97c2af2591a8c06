package io.vers.bench.cli;

import io.vers.api.ProgressListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What a command reports while it works, on standard error so that standard output stays clean for
 * tables: progress bars when standard error is a terminal, else one plain line when a phase starts and one
 * when it ends (with its count and time), or nothing when disabled. A phase that fails leaves no bar
 * behind: its bar is cleared before the error is printed. Thread-safe: a {@link Task} may be updated from
 * several threads.
 */
public final class Progress {
  private static final Progress NONE = new Progress(null, null);

  private final PrintStream terminal;
  private final PrintWriter lines;

  private Progress(PrintStream terminal, PrintWriter lines) {
    this.terminal = terminal;
    this.lines = lines;
  }

  /** Progress bars drawn with carriage returns on {@code terminal}, which must be a terminal. */
  public static Progress bars(PrintStream terminal) {
    return new Progress(terminal, null);
  }

  /** One plain line per phase start and end on {@code out}: for files and pipes. */
  public static Progress lines(PrintWriter out) {
    return new Progress(null, out);
  }

  /** No progress output. */
  public static Progress none() {
    return NONE;
  }

  /** Starts a phase counting {@code total} items (an indefinite one when {@code total < 0}). */
  public Task start(String name, long total) {
    return start(name, total, "", 1);
  }

  /** Starts a phase counting bytes, shown in MiB (KiB for less than 16 MiB). */
  public Task startBytes(String name, long totalBytes) {
    return totalBytes >= 16L << 20 ? start(name, totalBytes, " MiB", 1L << 20) : start(name, totalBytes, " KiB", 1024);
  }

  private Task start(String name, long total, String unit, long unitSize) {
    if (lines != null) {
      return new LineTask(lines, name, total, unit, unitSize);
    }
    if (terminal == null) {
      return Task.NONE;
    }
    BarConsumer consumer = new BarConsumer(terminal);
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setUnit(unit, unitSize)
        .setConsumer(consumer)
        .build();
    return new Task(bar, consumer);
  }

  /**
   * One running phase; also a {@link ProgressListener} for the vers API. Call {@link #complete()} when the
   * work succeeded, and close it in any case (a phase closed without {@code complete()} failed: its bar is
   * cleared, so that the error that follows has its line to itself).
   */
  public static class Task implements ProgressListener, AutoCloseable {
    static final Task NONE = new Task(null, null);

    private final ProgressBar bar;
    private final BarConsumer consumer;
    private boolean completed;

    Task(ProgressBar bar, BarConsumer consumer) {
      this.bar = bar;
      this.consumer = consumer;
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

    /** Moves the phase to {@code done} items. */
    public void stepTo(long done) {
      progress(done, -1);
    }

    /** Marks the work as done: the bar is drawn full when closed. */
    public void complete() {
      completed = true;
    }

    /** Ends the phase: a completed bar is drawn full and kept, a failed one is cleared. */
    @Override
    public void close() {
      if (bar == null) {
        return;
      }
      synchronized (bar) {
        if (completed && bar.getMax() > 0) {
          bar.stepTo(bar.getMax());
        }
        consumer.clearOnClose = !completed;
      }
      bar.close();
      consumer.close(); // the bar closes its consumer only once it has been drawn: make sure the line ends
    }
  }

  /** A phase reported as a plain line when it starts and one when it completes. */
  private static final class LineTask extends Task {
    private final PrintWriter out;
    private final String name;
    private final String unit;
    private final long unitSize;
    private final long started = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong total;
    private boolean completed;
    private boolean closed;

    LineTask(PrintWriter out, String name, long total, String unit, long unitSize) {
      super(null, null);
      this.out = out;
      this.name = name;
      this.unit = unit;
      this.unitSize = unitSize;
      this.total = new AtomicLong(total);
      synchronized (out) {
        out.println(name + (total > 0 ? " (" + amount(total) + ")" : "") + " ...");
        out.flush();
      }
    }

    @Override
    public void progress(long done, long total) {
      if (total > 0) {
        this.total.set(total);
      }
      this.done.accumulateAndGet(done, Math::max);
    }

    @Override
    public void complete() {
      completed = true;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (!completed) {
        return; // the error that follows says what went wrong
      }
      long count = Math.max(done.get(), total.get());
      double seconds = (System.nanoTime() - started) / 1e9;
      synchronized (out) {
        out.printf(Locale.ROOT, "%s done%s in %.2f s%n", name, count > 0 ? ": " + amount(count) : "", seconds);
        out.flush();
      }
    }

    private String amount(long count) {
      return unitSize == 1 ? String.format(Locale.ROOT, "%,d", count)
          : String.format(Locale.ROOT, "%,.1f%s", count / (double) unitSize, unit);
    }
  }

  /** Draws a bar on one terminal line with carriage returns; on close ends the line, or clears it. */
  static final class BarConsumer implements ProgressBarConsumer {
    private static final int WIDTH = 100;

    private final PrintStream out;
    private int drawn;
    private boolean closed;
    volatile boolean clearOnClose;

    BarConsumer(PrintStream out) {
      this.out = out;
    }

    @Override
    public int getMaxRenderedLength() {
      return WIDTH;
    }

    @Override
    public synchronized void accept(String rendered) {
      if (closed) {
        return;
      }
      String text = rendered.length() > WIDTH ? rendered.substring(0, WIDTH) : rendered;
      out.print('\r' + text + " ".repeat(Math.max(0, drawn - text.length())));
      drawn = text.length();
      out.flush();
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (clearOnClose) {
        if (drawn > 0) {
          out.print('\r' + " ".repeat(drawn) + '\r');
        }
      } else if (drawn > 0) {
        out.println();
      }
      drawn = 0;
      out.flush();
    }
  }
}
