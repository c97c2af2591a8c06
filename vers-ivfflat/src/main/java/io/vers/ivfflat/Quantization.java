package io.vers.ivfflat;

import io.vers.api.IndexParams;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.SearchParams;
import io.vers.spi.storage.ScalarQuantizer;

/**
 * The {@code sq8} policy of an {@link IvfFlatIndex}: when the ranges are learned, when they are learned
 * again, and how many candidates a search re-ranks.
 *
 * <ul>
 *   <li>With {@code quantization=none} nothing here runs: the lists hold floats only.
 *   <li>With {@code sq8}, until the index holds {@value ScalarQuantizer#TRAIN_AT} vectors it keeps floats
 *       only and searches exactly on them. The write that brings it to that size or more (a build or an
 *       {@code addAll} is one write) learns the ranges from every vector it holds (a sample of at most
 *       {@value ScalarQuantizer#MAX_SAMPLE} evenly spaced ones, seeded with the {@code seed} parameter)
 *       and encodes them all; with {@code keepVectors=false} the floats are then dropped. This is
 *       independent of k-means training, which for an index created empty comes much later.
 *   <li>Every later vector is encoded when stored; those {@linkplain ScalarQuantizer#farOutside far
 *       outside} the ranges are counted, and when {@link ScalarQuantizer#shouldRetrain} holds after a
 *       write, the ranges are learned again from the vectors held (floats if kept, else decoded codes),
 *       every vector re-encoded, and the count restarted. All of it happens under the index's write
 *       lock, so a search (which holds the read lock) never sees a mix of old and new codes.
 * </ul>
 */
final class Quantization {
  private static final String OVERSAMPLE_KEY = ParameterSpec.normalize(ScalarQuantizer.OVERSAMPLE.name());

  private final boolean sq8;
  private final boolean keepVectors;
  private final long seed;

  Quantization(IndexParams params) {
    this.sq8 = "sq8".equals(params.getString(ScalarQuantizer.QUANTIZATION.name()));
    this.keepVectors = params.getBoolean(ScalarQuantizer.KEEP_VECTORS.name());
    this.seed = params.getLong("seed");
  }

  /**
   * Applies the policy after a write stored {@code written[0 .. count)} (stored forms); holds the write
   * lock.
   */
  void afterWrite(ListStore store, float[][] written, int count) {
    if (!sq8) {
      return;
    }
    ScalarQuantizer quantizer = store.quantizer();
    if (quantizer == null) {
      if (store.size() >= ScalarQuantizer.TRAIN_AT) {
        store.quantize(learn(store), keepVectors);
      }
      return;
    }
    int far = 0;
    for (int i = 0; i < count; i++) {
      if (quantizer.farOutside(written[i], 0)) {
        far++;
      }
    }
    store.addFarOutside(far);
    if (far > 0 && ScalarQuantizer.shouldRetrain(store.farOutside(), store.size())) {
      store.quantize(learn(store), keepVectors);
    }
  }

  private ScalarQuantizer learn(ListStore store) {
    int m = Math.min(store.size(), ScalarQuantizer.MAX_SAMPLE);
    return ScalarQuantizer.train(store.sample(m), m, store.dimension(), seed);
  }

  /**
   * The candidates a search of {@code k} gathers on codes before re-ranking: {@code ceil(oversample x k)},
   * at least {@code k}.
   */
  static int candidates(int k, double oversample) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(k, Math.ceil(oversample * k)));
  }

  /**
   * The largest distance between a vector within the ranges and its decoded form:
   * {@code sqrt(sum(step_d^2)) / 2}, the codes rounding each component by at most half a step.
   */
  static float codeError(ScalarQuantizer quantizer) {
    float[] lows = quantizer.lows();
    float[] highs = quantizer.highs();
    double sum = 0;
    for (int d = 0; d < lows.length; d++) {
      double step = ((double) highs[d] - lows[d]) / 255;
      sum += step * step;
    }
    return (float) (Math.sqrt(sum) / 2);
  }

  /**
   * The code distance within which every vector inside the ranges lies whose exact distance is within
   * {@code radius}, for a query of squared norm {@code squaredNorm}: by the triangle inequality,
   * {@code (sqrt(radius) + error)^2} under L2 and {@code radius + |q| error} under DOT and COSINE, with a
   * margin for float rounding. A range search with kept floats gathers its candidates within it.
   */
  static float codeRadius(Metric metric, float radius, float squaredNorm, float error) {
    double gate;
    if (metric == Metric.L2) {
      if (radius < 0) {
        return radius;
      }
      double root = Math.sqrt(radius) + error;
      gate = root * root + 1e-5 * squaredNorm;
    } else {
      gate = radius + Math.sqrt(squaredNorm) * error;
    }
    return (float) Math.min(Float.MAX_VALUE, gate + 1e-4 * Math.abs(gate) + 1e-6);
  }

  /**
   * The {@code oversample} knob of {@code params} (already checked), else its default.
   */
  static double oversample(SearchParams params) {
    ParameterSpec spec = ScalarQuantizer.OVERSAMPLE;
    String key = OVERSAMPLE_KEY;
    for (int i = 0; i < params.knobCount(); i++) {
      if (params.knobKey(i).equals(key)) {
        return params.knobValue(i);
      }
    }
    return ((Number) spec.defaultValue()).doubleValue();
  }
}
