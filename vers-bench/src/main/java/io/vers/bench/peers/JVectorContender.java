package io.vers.bench.peers;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.BuildScoreProvider;
import io.github.jbellis.jvector.graph.similarity.SearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import io.vers.api.IndexParams;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import io.vers.bench.harness.BuiltIndex;
import io.vers.bench.harness.QueryRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * JVector ({@code io.github.jbellis:jvector}), on heap with exact scores (no quantization). JVector 3
 * builds one flat graph (DiskANN/Vamana style) rather than HNSW's layers; its degree bound
 * {@code maxDegree} defaults to {@code 2 * M}, the degree HNSW allows on its bottom layer, and its
 * construction beam is {@code efConstruction}. The query knob {@code ef} is JVector's {@code rerankK},
 * the size of its result queue. L2 uses EUCLIDEAN, COSINE stores unit vectors and uses DOT_PRODUCT, DOT
 * uses DOT_PRODUCT on the raw vectors.
 */
public final class JVectorContender extends PeerContender {
  public static final String NAME = "jvector";

  static final ParameterSpec MAX_DEGREE = ParameterSpec.ofInt("maxDegree", null, 2, 1024,
      "JVector's degree bound; unset means 2 * M");
  static final ParameterSpec ALPHA = ParameterSpec.ofDouble("alpha", 1.2, 1.0, 4.0,
      "diversity pruning slack (1.0 is HNSW's heuristic)");
  static final ParameterSpec NEIGHBOR_OVERFLOW = ParameterSpec.ofDouble("neighborOverflow", 1.2, 1.0, 4.0,
      "how far a node's neighbour list may overflow before it is pruned");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "JVector 3.0.6 (io.github.jbellis:jvector): Vamana-style graph on heap, exact scoring";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(M, EF_CONSTRUCTION, MAX_DEGREE, ALPHA, NEIGHBOR_OVERFLOW);
  }

  @Override
  public Optional<String> simdStatus() {
    try {
      String provider = VectorizationProvider.getInstance().getClass().getSimpleName();
      boolean on = !provider.startsWith("Default");
      return Optional.of((on ? "yes (" : "no (") + provider
          + (on ? ")" : "; JVector 3 uses the Vector API on JDK 20+ with jdk.incubator.vector)"));
    } catch (RuntimeException | LinkageError e) {
      return Optional.of("unknown (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  BuiltIndex build(float[][] base, Metric metric, IndexParams params, int threads, ProgressListener progress) {
    int n = base.length;
    int dimension = base[0].length;
    VectorTypeSupport types = VectorizationProvider.getInstance().getVectorTypeSupport();
    List<VectorFloat<?>> vectors = new ArrayList<>(n);
    for (float[] v : storedForm(base, metric)) {
      vectors.add(types.createFloatVector(v));
    }
    RandomAccessVectorValues values = new ListRandomAccessVectorValues(vectors, dimension);
    VectorSimilarityFunction similarity =
        metric == Metric.L2 ? VectorSimilarityFunction.EUCLIDEAN : VectorSimilarityFunction.DOT_PRODUCT;
    int m = params.getInt(M.name());
    int maxDegree = params.optionalInt(MAX_DEGREE.name()).orElse(2 * m);
    Map<String, Object> effective = new LinkedHashMap<>(params.asMap());
    effective.put(MAX_DEGREE.name(), maxDegree);
    ForkJoinPool pool = new ForkJoinPool(threads);
    try (GraphIndexBuilder builder = new GraphIndexBuilder(
        BuildScoreProvider.randomAccessScoreProvider(values, similarity), dimension, maxDegree,
        params.getInt(EF_CONSTRUCTION.name()), (float) params.getDouble(NEIGHBOR_OVERFLOW.name()),
        (float) params.getDouble(ALPHA.name()), pool, pool)) {
      AtomicLong done = new AtomicLong();
      pool.submit(() -> IntStream.range(0, n).parallel().forEach(node -> {
        builder.addGraphNode(node, values.getVector(node));
        long count = done.incrementAndGet();
        if ((count & 1023) == 0) {
          progress.progress(count, n);
        }
      })).join();
      builder.cleanup();
      progress.progress(n, n);
      return new Built(builder.getGraph(), values, types, similarity, metric, effective);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static final class Built implements BuiltIndex {
    private final OnHeapGraphIndex graph;
    private final RandomAccessVectorValues values;
    private final VectorTypeSupport types;
    private final VectorSimilarityFunction similarity;
    private final Metric metric;
    private final Map<String, Object> parameters;
    private final GraphSearcher searcher;

    Built(OnHeapGraphIndex graph, RandomAccessVectorValues values, VectorTypeSupport types,
        VectorSimilarityFunction similarity, Metric metric, Map<String, Object> parameters) {
      this.graph = graph;
      this.values = values;
      this.types = types;
      this.similarity = similarity;
      this.metric = metric;
      this.parameters = parameters;
      this.searcher = new GraphSearcher(graph);
    }

    @Override
    public Map<String, Object> parameters() {
      return parameters;
    }

    @Override
    public QueryRunner searcher(String knob, int value) {
      return (query, k, out) -> {
        VectorFloat<?> q = types.createFloatVector(queryForm(query, metric));
        SearchScoreProvider scores = SearchScoreProvider.exact(q, similarity, values);
        int rerankK = knob == null ? k : Math.max(k, value);
        SearchResult result = searcher.search(scores, k, rerankK, 0f, 0f, Bits.ALL);
        SearchResult.NodeScore[] nodes = result.getNodes();
        int n = Math.min(Math.min(k, nodes.length), out.length);
        for (int i = 0; i < n; i++) {
          out[i] = nodes[i].node;
        }
        return n;
      };
    }

    @Override
    public long bytes() {
      return -1;
    }

    @Override
    public void close() {
      try {
        searcher.close();
        graph.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
