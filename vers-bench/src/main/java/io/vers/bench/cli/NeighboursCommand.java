package io.vers.bench.cli;

import io.vers.api.AddOptions;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.bench.Vers;
import io.vers.bench.data.WordVectors;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vers neighbours}: the nearest words to a word, from fastText or GloVe vectors. */
@Command(
    name = "neighbours",
    aliases = "neighbors",
    sortOptions = false,
    description = {
      "Prints the nearest words to each --word, from fastText or GloVe word vectors.",
      "Reads the word vectors (fastText vec or GloVe txt: a word then its numbers per line, optional header),"
          + " builds an index over them and prints the nearest words to each --word with their distances."
    })
public final class NeighboursCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin HelpOption help;

  @ParentCommand Vers parent;

  @Spec CommandSpec spec;

  @Option(names = "--vectors", required = true, paramLabel = "FILE", description = "The word vectors.")
  Path vectors;

  @Option(names = "--word", required = true, paramLabel = "WORD", description = "A word to look up (repeatable;"
      + " case-sensitive).")
  List<String> words;

  @Option(names = "--k", defaultValue = "10", description = "Neighbours per word (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--algorithm", paramLabel = "NAME", description = "Index algorithm (default: hnsw when present,"
      + " else flat).")
  String algorithm;

  @Option(names = "--metric", defaultValue = "cosine", paramLabel = "l2|cosine|dot", description = "Distance"
      + " (default: ${DEFAULT-VALUE}).")
  String metric;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A build parameter, repeatable.")
  List<String> params;

  @Option(names = "--limit", paramLabel = "N", description = "Read only the first N words (fastText files list the"
      + " most frequent first).")
  Integer limit;

  @Option(names = "--threads", paramLabel = "N", description = "Threads for building (default: all cores).")
  Integer threads;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Progress progress = global.progress(parent, spec);
    if (k < 1) {
      throw new IllegalArgumentException("--k must be at least 1, got " + k);
    }
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
    }
    Metric m = Metric.parse(metric);
    String name = algorithm != null ? algorithm : Indexes.available().contains("hnsw") ? "hnsw" : "flat";
    Map<String, String> buildParams = Assignments.parse(params, "--param");
    Checks.buildParameters(name, buildParams);
    int workers = Assignments.threads("--threads", threads);

    WordVectors wv = Loading.words(progress, vectors, limit != null ? limit : Integer.MAX_VALUE);
    int[] positions = new int[words.size()];
    for (int i = 0; i < words.size(); i++) {
      OptionalInt at = wv.indexOf(words.get(i));
      if (at.isEmpty()) {
        throw new IllegalArgumentException("'" + words.get(i) + "' is not among the " + wv.size() + " words read from "
            + vectors + (limit != null ? " (first " + limit + " only: raise --limit)" : "")
            + "; words are case-sensitive");
      }
      positions[i] = at.getAsInt();
    }
    float[][] all = wv.vectors();
    long[] ids = new long[all.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    long start = System.nanoTime();
    Index index;
    try (Progress.Task task = progress.start("build " + name, all.length)) {
      index = Indexes.build(name, wv.dimension(), m, buildParams, ids, all, new AddOptions(workers, task));
      task.complete();
    }
    out.printf(Locale.ROOT, "%,d words of dimension %d, %s index (%s) built in %.1f s%n", wv.size(), wv.dimension(),
        name, m.name().toLowerCase(Locale.ROOT), (System.nanoTime() - start) / 1e9);
    for (int i = 0; i < positions.length; i++) {
      out.println();
      out.printf(Locale.ROOT, "nearest to '%s':%n", words.get(i));
      List<SearchResult> hits = index.search(all[positions[i]], k + 1, SearchParams.DEFAULT);
      int shown = 0;
      for (SearchResult hit : hits) {
        if (hit.id() == positions[i] || shown == k) {
          continue;
        }
        out.printf(Locale.ROOT, "  %-24s %.4f%n", wv.words().get((int) hit.id()), hit.distance());
        shown++;
      }
    }
    out.flush();
    return 0;
  }
}
