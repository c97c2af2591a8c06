package io.vers.bench.peers;

import io.vers.api.IndexParams;
import io.vers.api.Metric;
import io.vers.api.ProgressListener;
import io.vers.bench.harness.BuiltIndex;
import io.vers.bench.harness.QueryRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.HnswConcurrentMergeBuilder;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Lucene's HNSW graph ({@code org.apache.lucene.util.hnsw}) used directly, without an index writer or
 * codec: vectors on the heap, scored by Lucene's flat vector scorer (the one its codec uses, vectorized
 * where Lucene supports it), built by {@link HnswGraphBuilder} on one thread or
 * {@link HnswConcurrentMergeBuilder} on several, searched by {@link HnswGraphSearcher} with a
 * {@link TopKnnCollector} of size {@code max(ef, k)}. L2 uses EUCLIDEAN, COSINE stores unit vectors and
 * uses DOT_PRODUCT, DOT uses MAXIMUM_INNER_PRODUCT.
 */
public final class LuceneHnswContender extends PeerContender {
  public static final String NAME = "lucene-hnsw";

  /** The seed Lucene's own codec uses for level assignment. */
  private static final long SEED = 42;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Lucene 9.12 HNSW graph (org.apache.lucene.util.hnsw) on heap, without an index writer";
  }

  @Override
  public Optional<String> simdStatus() {
    try {
      Class<?> holder = Class.forName("org.apache.lucene.internal.vectorization.VectorizationProvider$Holder");
      Field field = holder.getDeclaredField("INSTANCE");
      field.setAccessible(true);
      String provider = field.get(null).getClass().getSimpleName();
      boolean on = provider.startsWith("Panama");
      return Optional.of((on ? "yes (" : "no (") + provider
          + (on ? ")" : "; Lucene 9.12 uses the Vector API only on JDK 20 to 22)"));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return Optional.of("unknown (" + e.getClass().getSimpleName() + ")");
    }
  }

  @Override
  BuiltIndex build(float[][] base, Metric metric, IndexParams params, int threads, ProgressListener progress)
      throws IOException {
    int n = base.length;
    List<float[]> vectors = storedForm(base, metric);
    RandomAccessVectorValues.Floats values = RandomAccessVectorValues.fromFloats(vectors, base[0].length);
    VectorSimilarityFunction similarity = switch (metric) {
      case L2 -> VectorSimilarityFunction.EUCLIDEAN;
      case COSINE -> VectorSimilarityFunction.DOT_PRODUCT;
      case DOT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
    };
    FlatVectorsScorer scorer = FlatVectorScorerUtil.getLucene99FlatVectorsScorer();
    AtomicLong inserted = new AtomicLong();
    RandomVectorScorerSupplier supplier =
        new CountingSupplier(scorer.getRandomVectorScorerSupplier(similarity, values), inserted, n, progress);
    int m = params.getInt(M.name());
    int beamWidth = params.getInt(EF_CONSTRUCTION.name());
    OnHeapHnswGraph graph;
    if (threads <= 1) {
      graph = HnswGraphBuilder.create(supplier, m, beamWidth, SEED, n).build(n);
    } else {
      OnHeapHnswGraph empty = HnswGraphBuilder.create(supplier, m, beamWidth, SEED, n).getGraph();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        graph = new HnswConcurrentMergeBuilder(new TaskExecutor(pool), threads, supplier, m, beamWidth, empty, null)
            .build(n);
      } finally {
        pool.shutdownNow();
      }
    }
    progress.progress(n, n);
    return new Built(graph, values, vectors, scorer, similarity, metric, params.asMap());
  }

  /** Counts insertions (each asks the supplier for one scorer) to report progress. */
  private static final class CountingSupplier implements RandomVectorScorerSupplier {
    private final RandomVectorScorerSupplier delegate;
    private final AtomicLong count;
    private final int total;
    private final ProgressListener progress;

    CountingSupplier(RandomVectorScorerSupplier delegate, AtomicLong count, int total, ProgressListener progress) {
      this.delegate = delegate;
      this.count = count;
      this.total = total;
      this.progress = progress;
    }

    @Override
    public RandomVectorScorer scorer(int ord) throws IOException {
      long done = count.incrementAndGet();
      if (done <= total && (done & 1023) == 0) {
        progress.progress(done, total);
      }
      return delegate.scorer(ord);
    }

    @Override
    public RandomVectorScorerSupplier copy() throws IOException {
      return new CountingSupplier(delegate.copy(), count, total, progress);
    }
  }

  private static final class Built implements BuiltIndex {
    private final OnHeapHnswGraph graph;
    private final RandomAccessVectorValues.Floats values;
    private final List<float[]> vectors;
    private final FlatVectorsScorer scorer;
    private final VectorSimilarityFunction similarity;
    private final Metric metric;
    private final Map<String, Object> parameters;

    Built(OnHeapHnswGraph graph, RandomAccessVectorValues.Floats values, List<float[]> vectors,
        FlatVectorsScorer scorer, VectorSimilarityFunction similarity, Metric metric, Map<String, Object> parameters) {
      this.graph = graph;
      this.values = values;
      this.vectors = vectors;
      this.scorer = scorer;
      this.similarity = similarity;
      this.metric = metric;
      this.parameters = parameters;
    }

    @Override
    public Map<String, Object> parameters() {
      return parameters;
    }

    @Override
    public QueryRunner searcher(String knob, int value) {
      return (query, k, out) -> {
        try {
          RandomVectorScorer queryScorer = scorer.getRandomVectorScorer(similarity, values, queryForm(query, metric));
          TopKnnCollector collector = new TopKnnCollector(knob == null ? k : Math.max(k, value), Integer.MAX_VALUE);
          HnswGraphSearcher.search(queryScorer, collector, graph, null);
          ScoreDoc[] docs = collector.topDocs().scoreDocs;
          int n = Math.min(Math.min(k, docs.length), out.length);
          for (int i = 0; i < n; i++) {
            out[i] = docs[i].doc;
          }
          return n;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
    }

    @Override
    public long bytes() {
      return -1;
    }
  }
}
