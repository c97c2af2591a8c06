package io.vers.bench.cli;

import io.vers.api.BatchResults;
import io.vers.api.Index;
import io.vers.api.IndexProvider;
import io.vers.api.SearchParams;
import io.vers.bench.Vers;
import io.vers.bench.harness.Contenders;
import io.vers.io.IndexIO;
import io.vers.spi.SearchKnobs;
import java.io.IOException;
import java.io.PrintWriter;
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

/**
 * {@code vers search}: searches a saved index for every vector of a query file, all queries in one
 * {@link Index#searchBatch} call.
 */
@Command(
    name = "search",
    sortOptions = false,
    description = {
      "Searches a saved index for each vector of a query file.",
      "All queries go in one batch, on --threads threads. Prints, per result, the query's position, the rank,"
          + " the id and the distance (tab-separated, with a header line)."
    })
public final class SearchCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin HelpOption help;

  @ParentCommand Vers parent;

  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "INDEX", description = "An index saved by 'vers build'.")
  Path index;

  @Option(names = "--query", required = true, paramLabel = "FILE", description = "Query vectors, any supported"
      + " format (.hdf5: the test set).")
  Path query;

  @Option(names = "--k", defaultValue = "10", description = "Results per query (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A search knob,"
      + " repeatable: ef=64 (HNSW), nprobe=8 (IVF), searchK=500 (LSH), or target_recall=0.95 (the index picks"
      + " its knob for that recall@k, calibrating itself first). A knob the index's algorithm does not read"
      + " fails before anything is searched, naming the knobs it reads.")
  List<String> params;

  @Option(names = "--threads", paramLabel = "N", description = "Threads to search on (default: all cores).")
  Integer threads;

  @Option(names = "--max-queries", paramLabel = "N", description = "Search only the first N queries.")
  Integer maxQueries;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Progress progress = global.progress(parent, spec);
    if (k < 1) {
      throw new IllegalArgumentException("--k must be at least 1, got " + k);
    }
    if (maxQueries != null && maxQueries < 1) {
      throw new IllegalArgumentException("--max-queries must be at least 1, got " + maxQueries);
    }
    int workers = Assignments.threads("--threads", threads);
    SearchParams searchParams = searchParams(params);
    // The knobs are checked against the algorithm the file names before the index or the queries are read.
    checkKnobs(IndexIO.readHeader(index).algorithm(), searchParams);
    Index loaded = IndexIO.load(index);
    float[] rows = queries(progress, loaded.dimension());
    int count = rows.length / loaded.dimension();
    BatchResults hits = loaded.searchBatch(rows, count, k, searchParams, workers);
    long[] ids = hits.ids();
    float[] distances = hits.distances();
    out.println("query\trank\tid\tdistance");
    for (int q = 0; q < count; q++) {
      for (int r = 0, n = hits.size(q); r < n; r++) {
        out.printf(Locale.ROOT, "%d\t%d\t%d\t%.6g%n", q, r + 1, ids[q * k + r], distances[q * k + r]);
      }
    }
    out.flush();
    return 0;
  }

  /** The query file's vectors (up to {@code --max-queries}), row-major, checked against the index's dimension. */
  private float[] queries(Progress progress, int dimension) throws IOException {
    float[][] vectors = Loading.vectors(progress, query, "test", maxQueries != null ? maxQueries : Integer.MAX_VALUE);
    if (vectors[0].length != dimension) {
      throw new IllegalArgumentException("the queries in " + query + " have dimension " + vectors[0].length
          + " but the index has dimension " + dimension);
    }
    float[] rows = new float[Math.multiplyExact(vectors.length, dimension)];
    for (int q = 0; q < vectors.length; q++) {
      System.arraycopy(vectors[q], 0, rows, q * dimension, dimension);
    }
    return rows;
  }

  /** The {@code --param} knobs by name; {@code target_recall} (or {@code targetRecall}) asks for a recall. */
  static SearchParams searchParams(List<String> params) {
    SearchParams.Builder builder = SearchParams.builder();
    for (Map.Entry<String, String> e : Assignments.parse(params, "--param").entrySet()) {
      builder.set(e.getKey(), Assignments.number("--param", e.getKey(), e.getValue()));
    }
    return builder.build();
  }

  /**
   * Checks {@code params} against the search knobs {@code algorithm} declares, as its index would when
   * searching: a knob it does not read, a value out of range, or a knob together with a target recall.
   *
   * @throws io.vers.api.IllegalParameterException naming the knobs the algorithm reads
   */
  static void checkKnobs(String algorithm, SearchParams params) {
    IndexProvider provider = Contenders.provider(algorithm);
    new SearchKnobs(provider.name(), provider.searchParameters()).check(params);
  }
}
