package io.vers.ivfflat;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.api.Metric;
import io.vers.spi.Parallel;
import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.L2Tiles;
import java.util.Arrays;
import java.util.Random;

/**
 * k-means clustering by Lloyd's algorithm, as used to train the lists of an {@link IvfFlatIndex}.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li><b>Sample.</b> When there are more than {@code maxPointsPerCentroid * k} points, that many are
 *       drawn uniformly without replacement (from {@code Random(seed)}) and the iterations run on them;
 *       every point still gets a label at the end.
 *   <li><b>Seed.</b> k-means++ on a uniform sample of at most 16 training points per centroid (all of
 *       them when there are fewer): the first centroid is a uniformly random sample point, each next one
 *       a sample point drawn with probability proportional to its squared distance to the nearest
 *       centroid chosen so far.
 *   <li><b>Iterate.</b> Assign every training point to its nearest centroid (squared Euclidean
 *       distance, lowest index on ties), then move every centroid to the mean of its points; repeat
 *       until {@code maxIterations} moves, or until the centroids' mean squared movement in one move is
 *       at most {@code tolerance} times the variance of the training points. Every run ends with an
 *       assignment, so the labels and the inertia belong to the returned centroids.
 *   <li><b>Empty clusters.</b> After each assignment, a cluster left without points takes over the point
 *       of the largest cluster that lies farthest from that cluster's centroid: the largest cluster is
 *       split, and the emptied centroid becomes that point, never a zero vector. So with at least
 *       {@code k} training points no cluster is empty in the result.
 *   <li><b>Attempts.</b> {@code attempts} independent runs, run {@code i} seeded with {@code seed + i};
 *       the run with the lowest inertia (the first on ties) is kept. A single-attempt run with seed
 *       {@code seed + i} on the same data reproduces run {@code i} when no sampling takes place.
 *   <li><b>Spherical.</b> With {@link Builder#spherical(boolean) spherical}, for unit-length data
 *       (COSINE), every centroid is scaled back to unit length after each move.
 * </ol>
 *
 * <p>Assignment, seeding updates and centroid moves run on {@code threads} threads; on the Vector API,
 * assignment is a register-blocked multiply-add over centroid panels ({@link CentroidPanels}) and
 * seeding uses 4 x 1 distance tiles ({@link L2Tiles}); without it every distance is {@link Metric#L2}'s.
 * Results do not depend on the number of threads or on the JIT: every sum is taken in a fixed order.
 *
 * <p>Instances are immutable and thread-safe; {@link #train} may be called concurrently.
 */
public final class KMeans {
  private static final L2Tiles TILES = Kernels.get().l2Tiles();
  /** Default number of centroid moves per attempt. */
  public static final int DEFAULT_MAX_ITERATIONS = 10;
  /** Default relative movement below which the iterations stop early. */
  public static final double DEFAULT_TOLERANCE = 1e-4;
  /** Default cap on training points per centroid. */
  public static final int DEFAULT_MAX_POINTS_PER_CENTROID = 256;
  /**
   * Seeding skips a point when the new centroid is at least this many times farther (squared) from the
   * point's nearest centroid than the point is: 4 by the triangle inequality, plus a margin that
   * covers float rounding.
   */
  private static final float PRUNE_FACTOR = 4.01f;
  /**
   * k-means++ draws its seeds from at most this many training points per centroid. Each seeding step
   * reads the vectors of every candidate point, so seeding on all points would cost as much as several
   * Lloyd iterations (which work in cache-sized blocks); the iterations that follow use every point.
   */
  static final int SEEDING_POINTS_PER_CENTROID = 16;

  private final int k;
  private final int maxIterations;
  private final int attempts;
  private final double tolerance;
  private final long seed;
  private final int threads;
  private final boolean spherical;
  private final int maxPointsPerCentroid;

  private KMeans(Builder b) {
    this.k = b.k;
    this.maxIterations = b.maxIterations;
    this.attempts = b.attempts;
    this.tolerance = b.tolerance;
    this.seed = b.seed;
    this.threads = b.threads;
    this.spherical = b.spherical;
    this.maxPointsPerCentroid = b.maxPointsPerCentroid;
  }

  /** A configuration for {@code k} clusters, with defaults for everything else. */
  public static Builder builder(int k) {
    return new Builder(k);
  }

  public int k() {
    return k;
  }

  /**
   * Clusters {@code vectors}: at least {@code k} of them, all of the same length, every component
   * finite. The arrays are read, never changed or retained.
   *
   * @throws IllegalArgumentException naming the first vector that breaks a rule
   */
  public Result train(float[][] vectors) {
    checkArgument(vectors.length >= 1, "k-means needs at least one vector");
    int dimension = vectors[0].length;
    checkArgument(dimension >= 1, "vectors must have at least one component");
    for (int i = 0; i < vectors.length; i++) {
      checkArgument(vectors[i].length == dimension,
          "vectors[%s] has %s components, vectors[0] has %s", i, vectors[i].length, dimension);
      checkFinite(vectors[i], 0, dimension, i);
    }
    return train(Rows.jagged(vectors, dimension));
  }

  /**
   * Clusters the first {@code n} vectors of {@code data}, {@code dimension} floats each, one after the
   * other; every component must be finite. The array is read, never changed or retained.
   *
   * @throws IllegalArgumentException if {@code data} is too short or holds a NaN or infinity
   */
  public Result train(float[] data, int n, int dimension) {
    Rows rows = Rows.packed(data, n, dimension);
    for (int i = 0; i < n; i++) {
      checkFinite(data, i * dimension, dimension, i);
    }
    return train(rows);
  }

  private static void checkFinite(float[] array, int offset, int dimension, int row) {
    for (int j = 0; j < dimension; j++) {
      if (!Float.isFinite(array[offset + j])) {
        throw new IllegalArgumentException(
            "vector " + row + " has " + array[offset + j] + " at component " + j + "; k-means needs finite values");
      }
    }
  }

  /** Clusters rows the caller has already checked. */
  Result train(Rows rows) {
    int n = rows.size();
    int dimension = rows.dimension();
    checkArgument(n >= k, "k-means into %s clusters needs at least %s vectors, got %s", k, k, n);
    checkArgument((long) k * dimension <= Integer.MAX_VALUE - 8,
        "%s centroids of dimension %s do not fit one array; use fewer clusters", k, dimension);
    long limit = (long) maxPointsPerCentroid * k;
    int[] sample = n > limit ? sample(n, (int) limit, new Random(seed)) : null;
    Rows training = sample == null ? rows : Rows.subset(rows, sample);
    try (Parallel.Pool workers = Parallel.pool(threads)) {
      double variance = variance(training);
      Run best = null;
      double[] inertias = new double[attempts];
      for (int a = 0; a < attempts; a++) {
        Run run = run(training, new Random(seed + a), variance, workers);
        inertias[a] = run.inertia;
        if (best == null || run.inertia < best.inertia) {
          best = run;
        }
      }
      int[] labels = sample == null ? best.labels : labelAll(rows, sample, best, workers);
      return new Result(best.centroids, k, dimension, labels, best.inertia, inertias, best.iterations,
          training.size());
    }
  }

  /** One attempt: seeding, then Lloyd iterations, ending with an assignment. */
  private Run run(Rows x, Random random, double variance, Parallel.Pool workers) {
    long seedingLimit = (long) SEEDING_POINTS_PER_CENTROID * k;
    Rows seeding = x.size() > seedingLimit ? Rows.subset(x, sample(x.size(), (int) seedingLimit, random)) : x;
    float[] centroids = seedPlusPlus(seeding, random, workers);
    LloydRun lloyd = new LloydRun(x, centroids, k, spherical, workers);
    lloyd.assign();
    double threshold = tolerance * variance * k;
    int iterations = 0;
    while (iterations < maxIterations) {
      double movement = lloyd.iterate();
      iterations++;
      if (movement <= threshold) {
        break;
      }
    }
    return new Run(centroids, lloyd.labels(), lloyd.inertia(), iterations);
  }

  /**
   * k-means++ seeding: returns {@code k} centroids, each a copy of a training point. Each step updates
   * every point's distance to its nearest centroid so far, skipping the points the triangle inequality
   * rules out: when the new centroid lies at least twice as far from a point's nearest centroid as the
   * point itself, it cannot be nearer to the point.
   */
  private float[] seedPlusPlus(Rows x, Random random, Parallel.Pool workers) {
    int m = x.size();
    int dimension = x.dimension();
    float[] centroids = new float[k * dimension];
    float[] nearest = new float[m];
    int[] owner = new int[m];
    float[] separation = new float[k];
    float[] scratch = TILES.newScratch();
    x.copyTo(random.nextInt(m), centroids, 0);
    workers.forEachBlock(m, 4096, (worker, from, to) -> updateNearest(x, from, to, centroids, 0, null, nearest, owner));
    for (int c = 1; c < k; c++) {
      x.copyTo(drawProportional(nearest, random), centroids, c * dimension);
      separations(centroids, c, dimension, separation, scratch);
      int newest = c;
      workers.forEachBlock(m, 4096,
          (worker, from, to) -> updateNearest(x, from, to, centroids, newest, separation, nearest, owner));
    }
    return centroids;
  }

  /** {@code out[j]} = squared distance from centroid {@code c} to centroid {@code j}, for {@code j < c}. */
  private static void separations(float[] centroids, int c, int dimension, float[] out, float[] scratch) {
    int offset = c * dimension;
    int full = c & ~3;
    for (int j = 0; j < full; j += 4) {
      TILES.tile1x4(centroids, offset, centroids, j * dimension, dimension, out, j, scratch);
    }
    if (full < c) {
      float[] rows = new float[4 * dimension];
      System.arraycopy(centroids, full * dimension, rows, 0, (c - full) * dimension);
      float[] four = new float[4];
      TILES.tile1x4(centroids, offset, rows, 0, dimension, four, 0, scratch);
      System.arraycopy(four, 0, out, full, c - full);
    }
  }

  /**
   * For rows {@code [from, to)}: the squared distance to centroid {@code c}, kept in {@code nearest}
   * (with {@code c} in {@code owner}) where smaller. Given {@code separation}, the squared distances
   * from centroid {@code c} to the earlier ones, a row is skipped when its owner lies at least
   * {@link #PRUNE_FACTOR} times its squared distance away from centroid {@code c}; without it, every
   * row takes centroid {@code c}.
   */
  private static void updateNearest(Rows x, int from, int to, float[] centroids, int c, float[] separation,
      float[] nearest, int[] owner) {
    int dimension = x.dimension();
    int offset = c * dimension;
    float[] scratch = TILES.newScratch();
    float[] out = new float[4];
    int[] pending = new int[4];
    int count = 0;
    for (int i = from; i < to; i++) {
      if (separation != null && separation[owner[i]] >= PRUNE_FACTOR * nearest[i]) {
        continue;
      }
      pending[count++] = i;
      if (count == 4) {
        nearestOfFour(x, pending, count, centroids, offset, c, separation == null, nearest, owner, out, scratch);
        count = 0;
      }
    }
    if (count > 0) {
      nearestOfFour(x, pending, count, centroids, offset, c, separation == null, nearest, owner, out, scratch);
    }
  }

  /** {@link #updateNearest} for up to four pending rows, computed as one 4 x 1 tile. */
  private static void nearestOfFour(Rows x, int[] pending, int count, float[] centroids, int offset, int c,
      boolean replace, float[] nearest, int[] owner, float[] out, float[] scratch) {
    int p0 = pending[0];
    int p1 = pending[Math.min(1, count - 1)];
    int p2 = pending[Math.min(2, count - 1)];
    int p3 = pending[Math.min(3, count - 1)];
    TILES.tile4x1(x.array(p0), x.offset(p0), x.array(p1), x.offset(p1), x.array(p2), x.offset(p2),
        x.array(p3), x.offset(p3), centroids, offset, x.dimension(), out, 0, scratch);
    for (int j = 0; j < count; j++) {
      int row = pending[j];
      if (replace || out[j] < nearest[row]) {
        nearest[row] = out[j];
        owner[row] = c;
      }
    }
  }

  /**
   * An index drawn with probability proportional to {@code weights[i]}; uniform when every weight is
   * zero (every point coincides with a centroid), and the first largest when the sum overflows.
   */
  private static int drawProportional(float[] weights, Random random) {
    double total = 0;
    for (float w : weights) {
      total += w;
    }
    if (total == 0) {
      return random.nextInt(weights.length);
    }
    if (!Double.isFinite(total)) {
      int largest = 0;
      for (int i = 1; i < weights.length; i++) {
        if (weights[i] > weights[largest]) {
          largest = i;
        }
      }
      return largest;
    }
    double target = random.nextDouble() * total;
    double cumulative = 0;
    int lastPositive = -1;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        cumulative += weights[i];
        lastPositive = i;
        if (cumulative > target) {
          return i;
        }
      }
    }
    return lastPositive;
  }

  /** Labels for every row: the training run's for sampled rows, the nearest centroid for the rest. */
  private int[] labelAll(Rows rows, int[] sample, Run best, Parallel.Pool workers) {
    int n = rows.size();
    int[] labels = new int[n];
    boolean[] sampled = new boolean[n];
    for (int j = 0; j < sample.length; j++) {
      labels[sample[j]] = best.labels[j];
      sampled[sample[j]] = true;
    }
    int[] rest = new int[n - sample.length];
    for (int i = 0, r = 0; i < n; i++) {
      if (!sampled[i]) {
        rest[r++] = i;
      }
    }
    int[] restLabels = new CentroidPanels(best.centroids, k, rows.dimension())
        .assign(Rows.subset(rows, rest), workers, null);
    for (int r = 0; r < rest.length; r++) {
      labels[rest[r]] = restLabels[r];
    }
    return labels;
  }

  /** {@code m} distinct indices below {@code n}, uniformly drawn, in increasing order. */
  private static int[] sample(int n, int m, Random random) {
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    for (int i = 0; i < m; i++) {
      int j = i + random.nextInt(n - i);
      int t = indices[i];
      indices[i] = indices[j];
      indices[j] = t;
    }
    int[] chosen = Arrays.copyOf(indices, m);
    Arrays.sort(chosen);
    return chosen;
  }

  /** The mean squared distance of the rows to their mean. */
  private static double variance(Rows x) {
    int m = x.size();
    int dimension = x.dimension();
    double[] mean = new double[dimension];
    for (int i = 0; i < m; i++) {
      float[] array = x.array(i);
      int offset = x.offset(i);
      for (int d = 0; d < dimension; d++) {
        mean[d] += array[offset + d];
      }
    }
    for (int d = 0; d < dimension; d++) {
      mean[d] /= m;
    }
    double total = 0;
    for (int i = 0; i < m; i++) {
      float[] array = x.array(i);
      int offset = x.offset(i);
      for (int d = 0; d < dimension; d++) {
        double delta = array[offset + d] - mean[d];
        total += delta * delta;
      }
    }
    return total / m;
  }

  @Override
  public String toString() {
    return "KMeans{k=" + k + ", maxIterations=" + maxIterations + ", attempts=" + attempts + ", tolerance="
        + tolerance + ", seed=" + seed + ", threads=" + threads + (spherical ? ", spherical" : "") + "}";
  }

  private static final class Run {
    final float[] centroids;
    final int[] labels;
    final double inertia;
    final int iterations;

    Run(float[] centroids, int[] labels, double inertia, int iterations) {
      this.centroids = centroids;
      this.labels = labels;
      this.inertia = inertia;
      this.iterations = iterations;
    }
  }

  /**
   * The outcome of {@link #train}: the kept attempt's centroids, every input point's cluster, and the
   * inertia of each attempt. The arrays are fresh and belong to the caller.
   */
  public static final class Result {
    private final float[] centroids;
    private final int k;
    private final int dimension;
    private final int[] labels;
    private final double inertia;
    private final double[] attemptInertias;
    private final int iterations;
    private final int trainingPoints;

    Result(float[] centroids, int k, int dimension, int[] labels, double inertia, double[] attemptInertias,
        int iterations, int trainingPoints) {
      this.centroids = centroids;
      this.k = k;
      this.dimension = dimension;
      this.labels = labels;
      this.inertia = inertia;
      this.attemptInertias = attemptInertias;
      this.iterations = iterations;
      this.trainingPoints = trainingPoints;
    }

    /** The {@code k} centroids, one after the other, {@code k * dimension} floats. */
    public float[] centroids() {
      return centroids;
    }

    public int k() {
      return k;
    }

    public int dimension() {
      return dimension;
    }

    /** The cluster of every input point, in input order. */
    public int[] labels() {
      return labels;
    }

    /** The kept attempt's sum of squared distances from each training point to its centroid. */
    public double inertia() {
      return inertia;
    }

    /** Every attempt's inertia, in attempt order. */
    public double[] attemptInertias() {
      return attemptInertias;
    }

    /** The number of centroid moves the kept attempt made. */
    public int iterations() {
      return iterations;
    }

    /** The number of points the iterations ran on (all of them, or the sample). */
    public int trainingPoints() {
      return trainingPoints;
    }

    /** The number of input points in each cluster. */
    public int[] clusterSizes() {
      int[] sizes = new int[k];
      for (int label : labels) {
        sizes[label]++;
      }
      return sizes;
    }
  }

  /** Configures {@link KMeans}. Not thread-safe. */
  public static final class Builder {
    private final int k;
    private int maxIterations = DEFAULT_MAX_ITERATIONS;
    private int attempts = 1;
    private double tolerance = DEFAULT_TOLERANCE;
    private long seed = 42;
    private int threads = 1;
    private boolean spherical;
    private int maxPointsPerCentroid = DEFAULT_MAX_POINTS_PER_CENTROID;

    private Builder(int k) {
      checkArgument(k >= 1, "k must be at least 1, got %s", k);
      this.k = k;
    }

    /** Centroid moves per attempt, at least 1; default {@value #DEFAULT_MAX_ITERATIONS}. */
    public Builder maxIterations(int maxIterations) {
      checkArgument(maxIterations >= 1, "maxIterations must be at least 1, got %s", maxIterations);
      this.maxIterations = maxIterations;
      return this;
    }

    /** Independent runs, the lowest inertia kept; at least 1, default 1. */
    public Builder attempts(int attempts) {
      checkArgument(attempts >= 1, "attempts must be at least 1, got %s", attempts);
      this.attempts = attempts;
      return this;
    }

    /**
     * Stop once the centroids' mean squared movement in one move is at most {@code tolerance} times the
     * training points' variance; 0 always runs {@code maxIterations}. Default
     * {@value #DEFAULT_TOLERANCE}.
     */
    public Builder tolerance(double tolerance) {
      checkArgument(tolerance >= 0 && Double.isFinite(tolerance), "tolerance must be finite and >= 0, got %s",
          tolerance);
      this.tolerance = tolerance;
      return this;
    }

    /** Seed of the sampling and of the seeding; default 42. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Threads for assignment and updates, at least 1; default 1. */
    public Builder threads(int threads) {
      checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
      this.threads = threads;
      return this;
    }

    /** Keep centroids at unit length, for unit-length data (COSINE); default false. */
    public Builder spherical(boolean spherical) {
      this.spherical = spherical;
      return this;
    }

    /**
     * Train on at most {@code maxPointsPerCentroid * k} points, a uniform sample when there are more;
     * default {@value #DEFAULT_MAX_POINTS_PER_CENTROID}.
     */
    public Builder maxPointsPerCentroid(int maxPointsPerCentroid) {
      checkArgument(maxPointsPerCentroid >= 1, "maxPointsPerCentroid must be at least 1, got %s",
          maxPointsPerCentroid);
      this.maxPointsPerCentroid = maxPointsPerCentroid;
      return this;
    }

    public KMeans build() {
      return new KMeans(this);
    }
  }
}
