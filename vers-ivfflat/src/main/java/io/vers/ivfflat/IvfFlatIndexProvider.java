package io.vers.ivfflat;

import com.google.auto.service.AutoService;
import io.vers.api.AddOptions;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import java.util.List;

/**
 * Provider {@code ivfflat}: {@link IvfFlatIndex}, an inverted file over k-means lists with an exact scan
 * of the probed lists. {@link #build} trains k-means on the batch; {@link #create} gives an empty index
 * that searches exactly until it holds enough vectors to train.
 */
@AutoService(IndexProvider.class)
public final class IvfFlatIndexProvider implements IndexProvider {
  @Override
  public String name() {
    return IvfFlatIndex.NAME;
  }

  @Override
  public String description() {
    return "inverted file over k-means lists, exact scan of the nprobe nearest lists; quick to build, "
        + "compact, recall tuned per query with nprobe";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return IvfFlatIndex.PARAMETERS;
  }

  @Override
  public List<ParameterSpec> searchParameters() {
    return IvfFlatIndex.SEARCH_PARAMETERS;
  }

  @Override
  public Index create(int dimension, Metric metric, IndexParams params) {
    return IvfFlatIndex.create(dimension, metric, params);
  }

  /** Trains k-means on the batch with {@code options.threads()} threads, then stores the batch. */
  @Override
  public Index build(
      int dimension, Metric metric, IndexParams params, long[] ids, float[][] vectors, AddOptions options) {
    return IvfFlatIndex.build(dimension, metric, params, ids, vectors, options);
  }

  @Override
  public Index restore(IndexSnapshot snapshot) throws CorruptIndexException {
    return IvfFlatState.restore(snapshot);
  }
}
