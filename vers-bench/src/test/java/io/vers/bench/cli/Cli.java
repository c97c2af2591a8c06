package io.vers.bench.cli;

import io.vers.bench.Vers;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process with captured output. */
record Cli(int exit, String out, String err) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Vers.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(exit, out.toString(), err.toString());
  }

  /** The error output as one line, failing if it is more. */
  String errorLine() {
    String text = err.strip();
    if (text.isEmpty() || text.lines().count() != 1) {
      throw new AssertionError("expected one line on standard error, got:\n" + err);
    }
    return text;
  }
}
