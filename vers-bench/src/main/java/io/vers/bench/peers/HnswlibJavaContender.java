package io.vers.bench.peers;

import com.github.jelmerk.knn.DistanceFunction;
import com.github.jelmerk.knn.DistanceFunctions;
import com.github.jelmerk.knn.Item;
import com.github.jelmerk.knn.SearchResult;
import com.github.jelmerk.knn.hnsw.HnswIndex;
import io.vers.api.IndexParams;
import io.vers.api.Metric;
import io.vers.api.ProgressListener;
import io.vers.bench.harness.BuiltIndex;
import io.vers.bench.harness.QueryRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * hnswlib-java ({@code com.github.jelmerk:hnswlib-core}), the Java port of hnswlib. L2 uses its Euclidean
 * distance; COSINE stores unit vectors and uses its inner-product distance ({@code 1 - dot}); DOT uses
 * the inner-product distance on the raw vectors.
 */
public final class HnswlibJavaContender extends PeerContender {
  public static final String NAME = "hnswlib-java";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "hnswlib-java 1.1.0 (com.github.jelmerk:hnswlib-core): HNSW, generic items and boxed distances";
  }

  @Override
  public Optional<String> simdStatus() {
    return Optional.of("no (hnswlib-core has no SIMD code path: plain Java loops)");
  }

  @Override
  BuiltIndex build(float[][] base, Metric metric, IndexParams params, int threads, ProgressListener progress)
      throws InterruptedException {
    DistanceFunction<float[], Float> distance =
        metric == Metric.L2 ? DistanceFunctions.FLOAT_EUCLIDEAN_DISTANCE : DistanceFunctions.FLOAT_INNER_PRODUCT;
    List<float[]> vectors = storedForm(base, metric);
    List<VectorItem> items = new ArrayList<>(vectors.size());
    for (int i = 0; i < vectors.size(); i++) {
      items.add(new VectorItem(i, vectors.get(i)));
    }
    HnswIndex<Integer, float[], VectorItem, Float> index = HnswIndex
        .newBuilder(base[0].length, distance, base.length)
        .withM(params.getInt(M.name()))
        .withEfConstruction(params.getInt(EF_CONSTRUCTION.name()))
        .build();
    index.addAll(items, threads, (done, max) -> progress.progress(done, max), 1000);
    return new Built(index, metric, params.asMap());
  }

  /** An item: the vector under its base ordinal. */
  record VectorItem(Integer id, float[] vector) implements Item<Integer, float[]> {
    private static final long serialVersionUID = 1L;

    @Override
    public int dimensions() {
      return vector.length;
    }
  }

  private static final class Built implements BuiltIndex {
    private final HnswIndex<Integer, float[], VectorItem, Float> index;
    private final Metric metric;
    private final Map<String, Object> parameters;
    private final int defaultEf;

    Built(HnswIndex<Integer, float[], VectorItem, Float> index, Metric metric, Map<String, Object> parameters) {
      this.index = index;
      this.metric = metric;
      this.parameters = parameters;
      this.defaultEf = index.getEf();
    }

    @Override
    public Map<String, Object> parameters() {
      return parameters;
    }

    @Override
    public QueryRunner searcher(String knob, int value) {
      int ef = knob == null ? defaultEf : value;
      return (query, k, out) -> {
        index.setEf(ef);
        List<SearchResult<VectorItem, Float>> results = index.findNearest(queryForm(query, metric), k);
        int n = Math.min(results.size(), out.length);
        for (int i = 0; i < n; i++) {
          out[i] = results.get(i).item().id();
        }
        return n;
      };
    }

    @Override
    public long bytes() {
      return -1;
    }
  }
}
