package io.vers.bench.harness;

import io.vers.api.AddOptions;
import io.vers.api.Calibration;
import io.vers.api.Index;
import io.vers.api.IndexProvider;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A vers algorithm, reached through its {@link IndexProvider} by name. */
public final class VersContender implements Contender {
  private final IndexProvider provider;

  public VersContender(IndexProvider provider) {
    this.provider = provider;
  }

  @Override
  public String name() {
    return provider.name();
  }

  @Override
  public String description() {
    return provider.description();
  }

  @Override
  public boolean isPeer() {
    return false;
  }

  @Override
  public List<ParameterSpec> parameters() {
    return provider.parameters();
  }

  @Override
  public List<ParameterSpec> searchParameters() {
    return provider.searchParameters();
  }

  @Override
  public List<ParameterSpec> searchParameters(Map<String, ?> parameters, int k) {
    return provider.searchParameters(parameters, k);
  }

  @Override
  public BuiltIndex build(float[][] base, Metric metric, Map<String, ?> params, int threads, ProgressListener progress) {
    long[] ids = new long[base.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i;
    }
    Index index = Indexes.build(provider.name(), base[0].length, metric, params, ids, base,
        new AddOptions(threads, progress));
    return new Built(index);
  }

  /** A vers index. */
  private static final class Built implements BuiltIndex {
    private final Index index;

    Built(Index index) {
      this.index = index;
    }

    @Override
    public Map<String, Object> parameters() {
      return index.parameters();
    }

    @Override
    public QueryRunner searcher(String knob, int value) {
      return runner(knob == null ? SearchParams.DEFAULT : SearchParams.builder().set(knob, value).build());
    }

    private QueryRunner runner(SearchParams params) {
      return (query, k, out) -> {
        List<SearchResult> results = index.search(query, k, params);
        int n = Math.min(results.size(), out.length);
        for (int i = 0; i < n; i++) {
          out[i] = results.get(i).id();
        }
        return n;
      };
    }

    @Override
    public Optional<BatchRunner> batchSearcher(String knob, int value) {
      SearchParams params = knob == null ? SearchParams.DEFAULT : SearchParams.builder().set(knob, value).build();
      return Optional.of((queries, count, k, threads) -> index.searchBatch(queries, count, k, params, threads).ids());
    }

    @Override
    public Optional<QueryRunner> targetRecallSearcher(double targetRecall) {
      return Optional.of(runner(SearchParams.builder().targetRecall(targetRecall).build()));
    }

    @Override
    public Optional<Calibration> calibration(int k) {
      return Optional.of(index.calibration(k));
    }

    @Override
    public long bytes() {
      return index.ramBytesUsed();
    }
  }
}
