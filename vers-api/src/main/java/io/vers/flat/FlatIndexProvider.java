package io.vers.flat;

import com.google.auto.service.AutoService;
import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.List;
import java.util.Map;

/**
 * Provider {@code flat}: exact search over float vectors, or with {@code quantization=sq8} a scan of
 * 8-bit codes (see {@link FlatIndex}).
 *
 * <p>Build parameters: {@code quantization} ({@code none} or {@code sq8}, default {@code none}) and
 * {@code keepVectors} (with sq8: keep the floats too and re-rank exactly, default {@code true}).
 * Search knob: {@code oversample} (default 3), read only with sq8 and kept vectors, otherwise accepted
 * and ignored.
 */
@AutoService(IndexProvider.class)
public final class FlatIndexProvider implements IndexProvider {
  /** The build parameters. */
  static final List<ParameterSpec> PARAMETERS = List.of(ScalarQuantizer.QUANTIZATION, ScalarQuantizer.KEEP_VECTORS);

  /** The search knobs. */
  static final List<ParameterSpec> SEARCH_PARAMETERS = List.of(ScalarQuantizer.OVERSAMPLE);

  /** A provider; found through {@link java.util.ServiceLoader}. */
  public FlatIndexProvider() {}

  @Override
  public String name() {
    return FlatIndex.NAME;
  }

  @Override
  public String description() {
    return "exact brute-force search (or a scan of 8-bit codes with quantization=sq8); ground truth, and fine "
        + "for small collections";
  }

  /** {@code quantization} and {@code keepVectors}. */
  @Override
  public List<ParameterSpec> parameters() {
    return PARAMETERS;
  }

  /** {@code oversample}, read only with {@code quantization=sq8} and {@code keepVectors=true}. */
  @Override
  public List<ParameterSpec> searchParameters() {
    return SEARCH_PARAMETERS;
  }

  /** {@code oversample} for an index that re-ranks sq8 candidates with kept vectors; none otherwise. */
  @Override
  public List<ParameterSpec> searchParameters(Map<String, ?> parameters, int k) {
    boolean sq8 = "sq8".equals(String.valueOf(parameters.get(ScalarQuantizer.QUANTIZATION.name())));
    boolean keep = !"false".equals(String.valueOf(parameters.get(ScalarQuantizer.KEEP_VECTORS.name())));
    return sq8 && keep ? SEARCH_PARAMETERS : List.of();
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
