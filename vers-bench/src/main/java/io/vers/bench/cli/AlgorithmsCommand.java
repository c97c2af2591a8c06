package io.vers.bench.cli;

import io.vers.api.ParameterSpec;
import io.vers.bench.harness.Contender;
import io.vers.bench.harness.Contenders;
import io.vers.bench.peers.Peers;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vers algorithms}: every algorithm found, with its parameters; then the peers. */
@Command(name = "algorithms", description = "Lists every vers algorithm on the class path with its build parameters"
    + " and search knobs (defaults and ranges), then the peers 'vers bench' can compare against.")
public final class AlgorithmsCommand implements Callable<Integer> {
  private static final int MIN_NAME_WIDTH = 18;

  @Mixin GlobalOptions global;

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("vers algorithms (io.vers.api.IndexProvider implementations on the class path):");
    for (Contender c : Contenders.vers()) {
      print(out, c);
    }
    out.println();
    out.println("peers (for 'vers bench --algorithms'; built with the same M and efConstruction as hnsw):");
    for (Contender c : Peers.all()) {
      print(out, c);
    }
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, Contender c) {
    out.println();
    out.printf(Locale.ROOT, "%s: %s%n", c.name(), c.description());
    table(out, "build parameters", c.parameters());
    table(out, "search knobs", c.searchParameters());
  }

  private static void table(PrintWriter out, String title, List<ParameterSpec> specs) {
    if (specs.isEmpty()) {
      out.printf(Locale.ROOT, "  %s: none%n", title);
      return;
    }
    out.printf(Locale.ROOT, "  %s:%n", title);
    // The name column is as wide as the table's longest name (at least 18), so no name pushes its row out.
    int width = Math.max(MIN_NAME_WIDTH, specs.stream().mapToInt(s -> s.name().length()).max().orElse(0));
    for (ParameterSpec s : specs) {
      String aliases = s.aliases().isEmpty() ? "" : " (also " + String.join(", ", s.aliases()) + ")";
      out.printf(Locale.ROOT, "    %-" + width + "s %-7s default %-8s range %-16s %s%s%n", s.name(),
          s.type().name().toLowerCase(Locale.ROOT), s.defaultValue() == null ? "none" : s.defaultValue(), range(s),
          s.description(), aliases);
    }
  }

  /**
   * The allowed range for reading: {@code any long} (or {@code any int}) for a parameter that takes every
   * value of its type, such as a seed, rather than its 19-digit bounds; else {@link ParameterSpec#range()}.
   */
  static String range(ParameterSpec s) {
    if (s.type() == ParameterSpec.Type.LONG && s.min() <= Long.MIN_VALUE && s.max() >= Long.MAX_VALUE) {
      return "any long";
    }
    if (s.type() == ParameterSpec.Type.INT && s.min() <= Integer.MIN_VALUE && s.max() >= Integer.MAX_VALUE) {
      return "any int";
    }
    return s.range();
  }
}
