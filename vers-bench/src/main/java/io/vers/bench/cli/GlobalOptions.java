package io.vers.bench.cli;

import picocli.CommandLine.Option;

/** Options every command accepts. */
public final class GlobalOptions {
  @Option(names = "--verbose", description = "On error, print the stack trace too.")
  boolean verbose;

  @Option(names = "--no-progress", description = "Do not draw progress bars (they go to standard error).")
  boolean noProgress;

  /** Progress bars on standard error, unless disabled here or on {@code other} (the parent command). */
  Progress progress(GlobalOptions other) {
    boolean off = noProgress || (other != null && other.noProgress);
    return off ? Progress.none() : Progress.to(System.err);
  }
}
