package io.vers.flat;

import com.google.auto.service.AutoService;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import java.util.List;

/** Provider {@code flat}: exact search, no parameters. */
@AutoService(IndexProvider.class)
public final class FlatIndexProvider implements IndexProvider {
  @Override
  public String name() {
    return FlatIndex.NAME;
  }

  @Override
  public String description() {
    return "exact brute-force search; ground truth, and fine for small collections";
  }

  @Override
  public List<ParameterSpec> parameters() {
    return List.of();
  }

  @Override
  public List<ParameterSpec> searchParameters() {
    return List.of();
  }

  @Override
  public Index create(int dimension, Metric metric, IndexParams params) {
    return FlatIndex.create(dimension, metric, params);
  }

  @Override
  public Index restore(IndexSnapshot snapshot) throws CorruptIndexException {
    return FlatIndex.restore(snapshot);
  }
}
