package io.vers.bench.cli;

import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.bench.soak.Counters;
import io.vers.bench.soak.SoakRun;
import io.vers.bench.soak.Violations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vers soak}: writers, readers and periodic saves and loads of an index for a chosen time,
 * every read checked against invariants and every loaded copy compared with the index's state at its
 * save ({@link SoakRun}). Prints operations per second by kind; exits with 1 if any invariant broke.
 */
@Command(
    name = "soak",
    sortOptions = false,
    description = {
      "Soak test: writers (add, upsert, remove), readers (search, searchBatch, vector by id) and a saver run on"
          + " one index for a chosen time.",
      "The saver saves the index every few seconds, loads the file and compares the loaded index with the live"
          + " index's state at the instant of the save. Every result is checked (sorted, no NaN, only ids that"
          + " were added, size bounds, each writer's own ids as it left them). Prints operations per second by"
          + " kind and every violation; exits with 1 if there was any."
    })
public final class SoakCommand implements Callable<Integer> {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  @Mixin GlobalOptions global;

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Option(names = "--algorithm", paramLabel = "NAME", split = ",", description = "Algorithms to soak, repeatable"
      + " or comma-separated (default: every algorithm on the class path).")
  List<String> algorithms;

  @Option(names = "--duration", defaultValue = "60s", paramLabel = "TIME", description = "How long each algorithm"
      + " runs: a number and ms, s, m or h (default: ${DEFAULT-VALUE}).")
  String duration;

  @Option(names = "--parallel", description = "Run the algorithms at the same time instead of one after another.")
  boolean parallel;

  @Option(names = "--dimension", defaultValue = "32", paramLabel = "D", description = "Vector dimension (default:"
      + " ${DEFAULT-VALUE}).")
  int dimension;

  @Option(names = "--size", defaultValue = "10000", paramLabel = "N", description = "Vectors in the index; writers"
      + " keep about as many over 2 N ids (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--metric", defaultValue = "L2", paramLabel = "METRIC", description = "L2, COSINE or DOT"
      + " (default: ${DEFAULT-VALUE}).")
  Metric metric;

  @Option(names = "--writers", defaultValue = "2", paramLabel = "W", description = "Writer threads per algorithm"
      + " (default: ${DEFAULT-VALUE}).")
  int writers;

  @Option(names = "--readers", defaultValue = "2", paramLabel = "R", description = "Reader threads per algorithm"
      + " (default: ${DEFAULT-VALUE}).")
  int readers;

  @Option(names = "--save-every", defaultValue = "10s", paramLabel = "TIME", description = "Pause between one"
      + " save-and-load check and the next (default: ${DEFAULT-VALUE}).")
  String saveEvery;

  @Option(names = "--report-every", defaultValue = "60s", paramLabel = "TIME", description = "How often to print"
      + " the operations per second so far (default: ${DEFAULT-VALUE}).")
  String reportEvery;

  @Option(names = "--dir", paramLabel = "DIR", description = "Where the index files are written, and removed"
      + " afterwards (default: the system's temporary directory).")
  Path dir;

  @Option(names = "--seed", defaultValue = "18", paramLabel = "N", description = "Seed of the random choices"
      + " (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    long durationMillis = millis("--duration", duration);
    long saveMillis = millis("--save-every", saveEvery);
    long reportMillis = millis("--report-every", reportEvery);
    Path directory = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
    Checks.directory(dir != null ? "--dir:" : "the temporary directory:", directory);
    Set<String> names = new LinkedHashSet<>(algorithms == null ? Indexes.available() : algorithms);
    for (String name : names) {
      Indexes.provider(name); // an unknown name fails here, naming the algorithms there are
    }
    List<SoakRun.Config> configs = new ArrayList<>();
    for (String name : names) {
      configs.add(new SoakRun.Config(name, metric, dimension, size, writers, readers, durationMillis, saveMillis,
          directory, seed));
    }
    out.printf(Locale.ROOT, "vers soak: %s, %s each%s, %s, dimension %d, %d vectors, %d writers and %d readers"
        + " per algorithm, a save and load every %s%n", String.join(", ", names), duration,
        parallel ? " at the same time" : ", one after another", metric, dimension, size, writers, readers, saveEvery);
    out.flush();
    Violations violations = new Violations(out, 100);
    if (parallel) {
      run(out, configs, violations, reportMillis);
    } else {
      for (SoakRun.Config config : configs) {
        run(out, List.of(config), violations, reportMillis);
      }
    }
    if (violations.count() > 0) {
      out.printf(Locale.ROOT, "FAILED: %d violation(s)%s%n", violations.count(),
          violations.count() > violations.kept().size() ? " (the first " + violations.kept().size() + " printed)" : "");
      out.flush();
      return Errors.FAILURE;
    }
    out.println("no violation");
    out.flush();
    return 0;
  }

  /** Runs the given algorithms together, printing progress every {@code reportMillis} and a summary. */
  private static void run(PrintWriter out, List<SoakRun.Config> configs, Violations violations, long reportMillis)
      throws InterruptedException {
    List<SoakRun> runs = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Throwable[] failure = new Throwable[1];
    for (SoakRun.Config config : configs) {
      SoakRun run = new SoakRun(config, () -> Indexes.create(config.algorithm(), config.dimension(), config.metric()),
          violations);
      runs.add(run);
      Thread t = new Thread(() -> {
        try {
          run.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
      }, "soak-" + config.algorithm());
      threads.add(t);
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      while (t.isAlive()) {
        t.join(reportMillis);
        if (t.isAlive()) {
          for (int i = 0; i < runs.size(); i++) {
            out.println(line(configs.get(i).algorithm() + " so far", runs.get(i).counters(),
                runs.get(i).elapsedNanos()));
          }
          out.flush();
        }
      }
    }
    synchronized (failure) {
      if (failure[0] != null) {
        violations.report(configs.get(0).algorithm(), "the soak run failed: " + failure[0], failure[0]);
      }
    }
    for (int i = 0; i < runs.size(); i++) {
      out.println(line(configs.get(i).algorithm(), runs.get(i).counters(), runs.get(i).elapsedNanos()));
    }
    out.flush();
  }

  /** One line of counts and rates per kind. */
  static String line(String what, Counters counters, long nanos) {
    double seconds = Math.max(nanos, 1) / 1e9;
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: %.0f s", what, seconds));
    for (Counters.Kind kind : Counters.Kind.values()) {
      long n = counters.count(kind);
      b.append(String.format(Locale.ROOT, ", %s %d (%.1f/s)", kind.name().toLowerCase(Locale.ROOT).replace('_', '-'),
          n, n / seconds));
    }
    return b.toString();
  }

  /** Milliseconds of a duration written as a number and ms, s, m or h. */
  static long millis(String option, String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must be a number followed by ms, s, m or h (for example 30m);"
          + " got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1000;
      case "m" -> n * 60_000;
      default -> n * 3_600_000;
    };
  }
}
