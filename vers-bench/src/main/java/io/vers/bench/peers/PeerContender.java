package io.vers.bench.peers;

import io.vers.api.IndexParams;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import io.vers.bench.harness.BuiltIndex;
import io.vers.bench.harness.Contender;
import io.vers.spi.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Base of the HNSW-family peers: they share the graph parameters {@code M} and {@code efConstruction}
 * (with the same defaults and aliases as vers' HNSW) and the per-query knob {@code ef}.
 */
abstract class PeerContender implements Contender {
  static final ParameterSpec M = Peers.M;
  static final ParameterSpec EF_CONSTRUCTION = Peers.EF_CONSTRUCTION;
  static final ParameterSpec EF = ParameterSpec.ofInt("ef", null, 1, 1 << 16,
      "candidate list size per query (at least k); unset means k", "ef_search");

  @Override
  public boolean isPeer() {
    return true;
  }

  /** Peers keep no uniform heap accounting: the benchmark measures them all the same way. */
  @Override
  public boolean reportsSize() {
    return false;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of(M, EF_CONSTRUCTION);
  }

  @Override
  public List<ParameterSpec> searchParameters() {
    return List.of(EF);
  }

  @Override
  public final BuiltIndex build(float[][] base, Metric metric, Map<String, ?> params, int threads,
      ProgressListener progress) throws Exception {
    IndexParams resolved = IndexParams.resolve(name(), parameters(), params);
    return build(base, metric, resolved, threads, progress);
  }

  abstract BuiltIndex build(float[][] base, Metric metric, IndexParams params, int threads, ProgressListener progress)
      throws Exception;

  /**
   * The vectors as the peer should store them: copies (an index owns its vectors, as vers' do), of unit
   * length under COSINE (each peer then ranks by inner product, as vers does).
   */
  static List<float[]> storedForm(float[][] base, Metric metric) {
    List<float[]> out = new ArrayList<>(base.length);
    for (float[] v : base) {
      out.add(metric.storedForm(v));
    }
    return out;
  }

  /** The query as the peer should see it. */
  static float[] queryForm(float[] query, Metric metric) {
    return metric == Metric.COSINE ? Vectors.prepareQuery(query, query.length, metric) : query;
  }

}
