package io.vers.bench.cli;

import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.bench.Vers;
import io.vers.io.IndexIO;
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

/** {@code vers search}: searches a saved index for every vector of a query file. */
@Command(
    name = "search",
    sortOptions = false,
    description = {
      "Searches a saved index for each vector of a query file and prints, per result, the query's",
      "position, the rank, the id and the distance (tab-separated, with a header line)."
    })
public final class SearchCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @ParentCommand Vers parent;

  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "INDEX", description = "An index saved by 'vers build'.")
  Path index;

  @Option(names = "--query", required = true, paramLabel = "FILE", description = "Query vectors, any supported"
      + " format (.hdf5: the test set).")
  Path query;

  @Option(names = "--k", defaultValue = "10", description = "Results per query (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A search knob, repeatable: ef=64 (HNSW),"
      + " nprobe=8 (IVF), searchK=500 (LSH).")
  List<String> params;

  @Option(names = "--max-queries", paramLabel = "N", description = "Search only the first N queries.")
  Integer maxQueries;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Progress progress = global.progress(parent == null ? null : parent.globalOptions());
    if (k < 1) {
      throw new IllegalArgumentException("--k must be at least 1, got " + k);
    }
    if (maxQueries != null && maxQueries < 1) {
      throw new IllegalArgumentException("--max-queries must be at least 1, got " + maxQueries);
    }
    SearchParams.Builder builder = SearchParams.builder();
    for (Map.Entry<String, String> e : Assignments.parse(params, "--param").entrySet()) {
      builder.set(e.getKey(), Assignments.positiveInt("--param", e.getKey(), e.getValue()));
    }
    SearchParams searchParams = builder.build();
    Index loaded = IndexIO.load(index);
    float[][] queries = Loading.vectors(progress, query, "test", maxQueries != null ? maxQueries : Integer.MAX_VALUE);
    if (queries[0].length != loaded.dimension()) {
      throw new IllegalArgumentException("the queries in " + query + " have dimension " + queries[0].length
          + " but the index has dimension " + loaded.dimension());
    }
    out.println("query\trank\tid\tdistance");
    for (int q = 0; q < queries.length; q++) {
      List<SearchResult> results = loaded.search(queries[q], k, searchParams);
      for (int r = 0; r < results.size(); r++) {
        SearchResult hit = results.get(r);
        out.printf(Locale.ROOT, "%d\t%d\t%d\t%.6g%n", q, r + 1, hit.id(), hit.distance());
      }
    }
    out.flush();
    return 0;
  }
}
