package io.vers.spark;

import io.vers.api.Metric;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** What a fit built: where the partition indexes are and how items and queries are routed to them. */
final class ModelState implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A random id of this build, part of every cache key, so a rebuilt model never meets stale indexes. */
  final String buildId;
  /** The fully qualified directory holding {@code part-NNNNN.vers}. */
  final String directory;
  final int dimension;
  final Metric metric;
  final String algorithm;
  final Map<String, String> algorithmParams;
  final String partitioning;
  /** ivf: the centroids, one per partition; hash: null. */
  final float[] centroids;
  /** ivf: the replication bound on {@code d2 / d1} (squared distances), {@code (1 + epsilon)^2}; 0: none. */
  final double replicaBound;
  /** Cells k-means trained, cells split for skew, and the cells those became. */
  final int trainedCells;
  final int splitCells;
  final int splitInto;
  final long items;
  final long[] sizes;
  final long[] replicas;
  final long[] ramBytes;
  final long[] fileBytes;
  final double buildSeconds;

  ModelState(String buildId, String directory, int dimension, Metric metric, String algorithm,
      Map<String, String> algorithmParams, String partitioning, float[] centroids, double replicaBound,
      int trainedCells, int splitCells, int splitInto, long items, long[] sizes, long[] replicas, long[] ramBytes,
      long[] fileBytes, double buildSeconds) {
    this.buildId = buildId;
    this.directory = directory;
    this.dimension = dimension;
    this.metric = metric;
    this.algorithm = algorithm;
    this.algorithmParams = algorithmParams;
    this.partitioning = partitioning;
    this.centroids = centroids;
    this.replicaBound = replicaBound;
    this.trainedCells = trainedCells;
    this.splitCells = splitCells;
    this.splitInto = splitInto;
    this.items = items;
    this.sizes = sizes;
    this.replicas = replicas;
    this.ramBytes = ramBytes;
    this.fileBytes = fileBytes;
    this.buildSeconds = buildSeconds;
    if (replicas.length != sizes.length || ramBytes.length != sizes.length || fileBytes.length != sizes.length
        || (centroids != null && centroids.length != sizes.length * dimension)) {
      throw new IllegalArgumentException("inconsistent model: " + sizes.length + " partitions");
    }
  }

  /** The same model, its partition files in another directory. */
  ModelState movedTo(String newDirectory) {
    return new ModelState(buildId, newDirectory, dimension, metric, algorithm, algorithmParams, partitioning,
        centroids, replicaBound, trainedCells, splitCells, splitInto, items, sizes, replicas, ramBytes,
        fileBytes, buildSeconds);
  }

  int partitions() {
    return sizes.length;
  }

  Router router() {
    return centroids == null ? null : new Router(centroids, dimension, metric, replicaBound);
  }

  float[][] centroidRows() {
    if (centroids == null) {
      return null;
    }
    float[][] rows = new float[partitions()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = Arrays.copyOfRange(centroids, i * dimension, (i + 1) * dimension);
    }
    return rows;
  }

  /** The replication rule as {@code |x - c2| <= (1 + epsilon) |x - c1|}: epsilon. */
  double boundaryEpsilon() {
    return replicaBound > 0 ? Math.sqrt(replicaBound) - 1 : 0;
  }

  long storedVectors() {
    return Arrays.stream(sizes).sum();
  }

  long replicaCopies() {
    return Arrays.stream(replicas).sum();
  }

  String summary() {
    long[] sorted = sizes.clone();
    Arrays.sort(sorted);
    long stored = storedVectors();
    long empty = Arrays.stream(sizes).filter(s -> s == 0).count();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%d partitions (%s, %s, %s, dimension %d)", partitions(), partitioning,
        algorithm, metric, dimension));
    sb.append(String.format(Locale.ROOT, ", %d items, %d vectors stored", items, stored));
    if (centroids != null) {
      sb.append(String.format(Locale.ROOT, " (%d replicas: +%.1f%%, boundary epsilon %.4f)", replicaCopies(),
          items == 0 ? 0.0 : 100.0 * replicaCopies() / items, boundaryEpsilon()));
      sb.append(String.format(Locale.ROOT, ", %d k-means cells", trainedCells));
      if (splitCells > 0) {
        sb.append(String.format(Locale.ROOT, ", %d oversized split into %d", splitCells, splitInto));
      }
    }
    sb.append(String.format(Locale.ROOT, "; partition sizes min %d, median %d, max %d", sorted[0],
        sorted[sorted.length / 2], sorted[sorted.length - 1]));
    if (empty > 0) {
      sb.append(", ").append(empty).append(" empty");
    }
    sb.append(String.format(Locale.ROOT, "; index heap %.1f MB; built in %.1f s",
        Arrays.stream(ramBytes).sum() / 1048576.0, buildSeconds));
    return sb.toString();
  }
}
