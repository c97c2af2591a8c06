package io.vers.bench.cli;

import io.vers.bench.Vers;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options every command accepts. */
public final class GlobalOptions {
  @Option(names = "--verbose", description = "On error, print the stack trace too.")
  boolean verbose;

  @Option(names = "--no-progress", description = "Report no progress on standard error (by default: bars on a"
      + " terminal, else a line when each phase starts and ends).")
  boolean noProgress;

  /**
   * How {@code command} reports progress: nothing when disabled here or on {@code parent}'s options; bars
   * when the command line writes its errors to a terminal; else plain lines on the command's error stream.
   */
  Progress progress(Vers parent, CommandSpec command) {
    GlobalOptions other = parent == null ? null : parent.globalOptions();
    if (noProgress || (other != null && other.noProgress)) {
      return Progress.none();
    }
    if (parent != null && parent.errorsOnTerminal()) {
      command.commandLine().getErr().flush();
      return Progress.bars(System.err);
    }
    return Progress.lines(command.commandLine().getErr());
  }
}
