package io.vers.ivfflat;

import io.vers.api.Calibration;
import io.vers.api.Metric;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a search for a target recall near its target for a query unlike the stored vectors.
 *
 * <p>A target recall picks nprobe from the index's {@link Calibration}, which is measured with stored
 * vectors as queries. That holds for queries from the same distribution, but a query farther from
 * every centroid than the stored vectors are (off the data, between clusters) has its neighbours spread
 * over many lists at about the same distance, and nprobe lists find far fewer of them: on clustered
 * data, a quarter of the recall is lost. So for a search with a target recall, the sample of stored
 * vectors also gives:
 *
 * <ul>
 *   <li>{@code farthest}: the largest squared distance from a sample vector to its nearest centroid.
 *       A query farther than that from its nearest centroid is <i>remote</i>: outside what the
 *       calibration measured;
 *   <li>{@code ratio}: the median, over the sample, of the squared distance to the {@code nprobe}-th
 *       nearest centroid over that to the nearest.
 * </ul>
 *
 * A remote query probes every list whose centroid is within {@code ratio} times its nearest centroid's
 * squared distance, and at least {@code nprobe}: as far out, relative to the nearest centroid, as the
 * calibrated nprobe reaches for a typical stored vector. Other queries probe nprobe lists, as the
 * calibration measured. Distances are Euclidean whatever the metric (the centroids are k-means
 * centroids); which lists are probed still follows the metric's ranking.
 *
 * <p>The rule is computed on first use for an nprobe, and kept until the index is trained again or its
 * size changes by half. Thread-safe.
 */
final class RemoteQueries {
  /** The most stored vectors sampled. */
  static final int SAMPLE = 250;

  /**
   * The rule for one nprobe: {@code centroids} and {@code size} are those it was computed against.
   */
  record Rule(Centroids centroids, int size, int probes, float farthest, float ratio) {}

  private final ConcurrentHashMap<Integer, Rule> rules = new ConcurrentHashMap<>();

  /**
   * The rule for searches at {@code probes} lists, or null before training: computed on first use for
   * these centroids and kept until they change or the index's size changes by half. Takes the index's
   * read lock for a moment to copy the sample; call it before taking the lock.
   */
  Rule rule(IvfFlatIndex index, int probes) {
    Rule rule = rules.get(probes);
    Centroids now = index.store().centroids();
    if (now == null) {
      return null;
    }
    if (rule != null && rule.centroids == now && Math.abs(index.size() - rule.size) < Math.max(1, rule.size / 2)) {
      return rule;
    }
    if (rules.size() > 64) {
      rules.clear();
    }
    rule = compute(index, probes);
    if (rule != null) {
      rules.put(probes, rule);
    }
    return rule;
  }

  private static Rule compute(IvfFlatIndex index, int probes) {
    int dim = index.dimension();
    float[] sample;
    Centroids c;
    int m;
    int n;
    index.lockRead();
    try {
      ListStore store = index.store();
      c = store.centroids();
      n = store.size();
      if (c == null || n == 0) {
        return null;
      }
      m = Math.min(SAMPLE, n);
      sample = new float[m * dim];
      for (int i = 0; i < m; i++) {
        float[] v = store.vector(store.idOf((int) ((long) i * n / m)));
        System.arraycopy(v, 0, sample, i * dim, dim);
      }
    } finally {
      index.unlockRead();
    }
    int nlist = c.count();
    int p = Math.min(probes, nlist);
    boolean dot = index.metric() == Metric.DOT;
    CentroidPanels panels = c.panels();
    float[] scores = new float[nlist];
    float[] squared = new float[nlist];
    float[] dots = new float[CentroidPanels.scoreScratch()];
    float farthest = 0;
    float[] ratios = new float[m];
    int counted = 0;
    for (int i = 0; i < m; i++) {
      panels.scoreRow(sample, i * dim, dot, scores, 0, dots);
      float norm = squaredNorm(sample, i * dim, dim);
      for (int l = 0; l < nlist; l++) {
        squared[l] = panels.squaredDistance(l, scores[l], dot, norm);
      }
      Arrays.sort(squared, 0, nlist);
      farthest = Math.max(farthest, squared[0]);
      if (squared[0] > 0) {
        ratios[counted++] = squared[p - 1] / squared[0];
      }
    }
    Arrays.sort(ratios, 0, counted);
    float ratio = counted == 0 ? Float.POSITIVE_INFINITY : Math.max(1f, ratios[counted / 2]);
    return new Rule(c, n, probes, farthest, ratio);
  }

  /**
   * The number of lists a query probes under {@code rule}: {@code probes}, or for a remote query every
   * list within the rule's ratio, and at least {@code probes}.
   *
   * @param scores the query's scores of the centroids, from {@link CentroidPanels#scoreRow} or
   *     {@link CentroidPanels#scoreRows}
   */
  static int probes(Rule rule, Centroids c, float[] scores, int from, boolean dot, float[] query, int offset,
      int probes) {
    int nlist = c.count();
    if (rule == null || rule.centroids != c || probes >= nlist) {
      return probes;
    }
    CentroidPanels panels = c.panels();
    float norm = squaredNorm(query, offset, c.dimension());
    float nearest = Float.POSITIVE_INFINITY;
    for (int l = 0; l < nlist; l++) {
      nearest = Math.min(nearest, panels.squaredDistance(l, scores[from + l], dot, norm));
    }
    if (!(nearest > rule.farthest)) {
      return probes;
    }
    float reach = nearest * rule.ratio;
    int within = 0;
    for (int l = 0; l < nlist; l++) {
      if (panels.squaredDistance(l, scores[from + l], dot, norm) <= reach) {
        within++;
      }
    }
    return Math.max(probes, within);
  }

  private static float squaredNorm(float[] v, int offset, int dim) {
    double sum = 0;
    for (int i = offset; i < offset + dim; i++) {
      sum += (double) v[i] * v[i];
    }
    return (float) sum;
  }
}
