package io.vers.bench.cli;

import io.vers.api.AddOptions;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.bench.Vers;
import io.vers.io.IndexIO;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vers build}: builds an index from a vector file and saves it. */
@Command(
    name = "build",
    sortOptions = false,
    description = {
      "Builds an index from a vector file and saves it.",
      "Vector i of the file gets id i. Formats: fvecs, bvecs, ivecs, fastText/GloVe text (vec, txt), IDX"
          + " (*-idx3-ubyte), each optionally gzipped (gz), or HDF5 (its train set; not gzipped). The parameters and the"
          + " output's directory are checked before the input is read."
    })
public final class BuildCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin HelpOption help;

  @ParentCommand Vers parent;

  @Spec CommandSpec spec;

  @Option(names = "--algorithm", required = true, paramLabel = "NAME", description = "Index algorithm (see 'vers"
      + " algorithms').")
  String algorithm;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "The vectors to index.")
  Path input;

  @Option(names = "--output", required = true, paramLabel = "INDEX", description = "Where to save the index.")
  Path output;

  @Option(names = "--metric", defaultValue = "l2", paramLabel = "l2|cosine|dot", description = "Distance (default:"
      + " ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A build parameter,"
      + " repeatable: --param M=32 (see 'vers algorithms'); checked before the input is read.")
  List<String> params;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for building (default: all cores).")
  Integer threads;

  @Option(names = "--limit", paramLabel = "N", description = "Index only the first N vectors.")
  Integer limit;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Progress progress = global.progress(parent, spec);
    // Everything is checked before the input is read.
    Metric m = Metric.parse(metric);
    Map<String, String> buildParams = Assignments.parse(params, "--param");
    Checks.buildParameters(algorithm, buildParams);
    int workers = Assignments.threads("--threads", threads);
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
    }
    Checks.outputFile("--output", output);
    float[][] vectors = Loading.vectors(progress, input, "train", limit != null ? limit : Integer.MAX_VALUE);
    long[] ids = new long[vectors.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    long start = System.nanoTime();
    Index index;
    try (Progress.Task task = progress.start("build " + algorithm, vectors.length)) {
      index = Indexes.build(algorithm, vectors[0].length, m, buildParams, ids, vectors, new AddOptions(workers, task));
      task.complete();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    IndexIO.save(index, output);
    out.printf(Locale.ROOT, "built %s over %,d vectors of dimension %d (%s) in %.2f s on %d thread%s%n",
        index.algorithm(), index.size(), index.dimension(), m.name().toLowerCase(Locale.ROOT), seconds, workers,
        workers == 1 ? "" : "s");
    out.printf(Locale.ROOT, "parameters %s%n", InfoCommand.describe(index.parameters()));
    out.printf(Locale.ROOT, "wrote %s (%,d bytes)%n", output, Files.size(output));
    out.flush();
    return 0;
  }
}
