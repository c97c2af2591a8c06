package io.vers.bench.soak;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broken invariants of soak runs. Every violation is counted; the first {@code keep} are kept and
 * printed as they happen (with the stack trace of a thread that failed). Thread-safe.
 */
public final class Violations {
  private final PrintWriter out;
  private final int keep;
  private final AtomicLong count = new AtomicLong();
  private final List<String> kept = new ArrayList<>();

  /**
   * @param out where violations are printed as they happen, or null to print nothing
   * @param keep how many violations to keep and print; later ones are only counted
   */
  public Violations(PrintWriter out, int keep) {
    this.out = out;
    this.keep = keep;
  }

  /**
   * Counts a violation and keeps and prints it if it is among the first {@code keep}.
   *
   * @param algorithm the algorithm whose run found it
   * @param message what went wrong
   * @param error the exception behind it, or null
   */
  public void report(String algorithm, String message, Throwable error) {
    long n = count.incrementAndGet();
    if (n > keep) {
      return;
    }
    String line = "VIOLATION [" + algorithm + "] " + message;
    synchronized (this) {
      kept.add(line);
      if (out != null) {
        out.println(line);
        if (error != null) {
          error.printStackTrace(out);
        }
        out.flush();
      }
    }
  }

  /** How many violations were reported. */
  public long count() {
    return count.get();
  }

  /** The first violations reported, at most {@code keep}. */
  public synchronized List<String> kept() {
    return List.copyOf(kept);
  }
}
