package io.vers.bench.jmh;

import io.vers.api.AddOptions;
import io.vers.api.Index;
import io.vers.api.IndexProvider;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.SearchResult;
import io.vers.bench.data.Dataset;
import io.vers.bench.data.SyntheticDataset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One query against an index of each algorithm, reached by provider name, with its default search
 * settings: microseconds per {@code search} call on the synthetic dataset (Gaussian clusters, L2). HNSW
 * is built with M=16 and efConstruction=200, like {@code vers bench}. Algorithms missing from the class
 * path fail their run with a message; select the present ones with
 * {@code ./vers jmh SearchBenchmark -p algorithm=flat,hnsw}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class SearchBenchmark {
  @Param({"flat", "hnsw", "ivfflat", "lsh"})
  String algorithm;

  @Param({"20000"})
  int size;

  @Param({"128"})
  int dimension;

  @Param({"10"})
  int k;

  private Index index;
  private float[][] queries;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    if (!Indexes.available().contains(algorithm)) {
      throw new IllegalStateException("algorithm '" + algorithm + "' is not on the class path; available: "
          + Indexes.available() + " (select with -p algorithm=...)");
    }
    Dataset data = SyntheticDataset.generate(size, dimension, 1000, SyntheticDataset.DEFAULT_SEED);
    long[] ids = new long[size];
    for (int i = 0; i < size; i++) {
      ids[i] = i;
    }
    index = Indexes.build(algorithm, dimension, Metric.L2, graphDefaults(Indexes.provider(algorithm)), ids,
        data.base(), AddOptions.threads(Runtime.getRuntime().availableProcessors()));
    queries = data.queries();
  }

  /** M=16 and efConstruction=200 where the algorithm takes them. */
  private static Map<String, Object> graphDefaults(IndexProvider provider) {
    Map<String, Object> params = new HashMap<>();
    for (ParameterSpec spec : provider.parameters()) {
      if (spec.matches("M")) {
        params.put(spec.name(), 16);
      } else if (spec.matches("efConstruction")) {
        params.put(spec.name(), 200);
      }
    }
    return params;
  }

  @Benchmark
  public List<SearchResult> search() {
    float[] query = queries[next];
    next = (next + 1) % queries.length;
    return index.search(query, k);
  }
}
