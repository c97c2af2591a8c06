package io.vers.bench.harness;

import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A contender under a second name, {@code ALGORITHM:LABEL} (for example {@code hnsw:sq8}), so that one
 * run can measure one algorithm in several configurations side by side, each with its own {@code --param}
 * settings ({@code --param hnsw:sq8.quantization=sq8}).
 */
final class Variant implements Contender {
  private final Contender base;
  private final String name;

  Variant(Contender base, String name) {
    this.base = base;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String algorithm() {
    return base.algorithm();
  }

  @Override
  public String description() {
    return base.description();
  }

  @Override
  public boolean isPeer() {
    return base.isPeer();
  }

  @Override
  public List<ParameterSpec> parameters() {
    return base.parameters();
  }

  @Override
  public List<ParameterSpec> searchParameters() {
    return base.searchParameters();
  }

  @Override
  public List<ParameterSpec> searchParameters(Map<String, ?> parameters, int k) {
    return base.searchParameters(parameters, k);
  }

  @Override
  public Optional<String> simdStatus() {
    return base.simdStatus();
  }

  @Override
  public boolean reportsSize() {
    return base.reportsSize();
  }

  @Override
  public BuiltIndex build(float[][] base, Metric metric, Map<String, ?> params, int threads,
      ProgressListener progress) throws Exception {
    return this.base.build(base, metric, params, threads, progress);
  }
}
