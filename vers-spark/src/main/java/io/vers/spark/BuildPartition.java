package io.vers.spark;

import io.vers.api.AddOptions;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.spark.Records.Built;
import io.vers.spark.Records.Item;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Builds one partition's index on an executor, on {@code buildThreads} threads, saves it under the
 * build's directory and keeps it in the executor's {@link IndexCache} for the queries that follow. An
 * empty partition has no file.
 */
final class BuildPartition implements Function2<Integer, Iterator<Tuple2<Integer, Item>>, Iterator<Built>> {
  private static final long serialVersionUID = 1L;

  private final String algorithm;
  private final Map<String, String> params;
  private final int dimension;
  private final Metric metric;
  private final int threads;
  private final String directory;
  private final String buildId;
  private final String idCol;
  private final Broadcast<HadoopConf> hadoop;

  BuildPartition(String algorithm, Map<String, String> params, int dimension, Metric metric, int threads,
      String directory, String buildId, String idCol, Broadcast<HadoopConf> hadoop) {
    this.algorithm = algorithm;
    this.params = params;
    this.dimension = dimension;
    this.metric = metric;
    this.threads = threads;
    this.directory = directory;
    this.buildId = buildId;
    this.idCol = idCol;
    this.hadoop = hadoop;
  }

  @Override
  public Iterator<Built> call(Integer partition, Iterator<Tuple2<Integer, Item>> records) {
    long start = System.nanoTime();
    List<Item> items = new ArrayList<>();
    int replicas = 0;
    while (records.hasNext()) {
      Item item = records.next()._2();
      items.add(item);
      replicas += item.replica ? 1 : 0;
    }
    if (items.isEmpty()) {
      return List.of(new Built(partition, 0, 0, 0, 0, 0)).iterator();
    }
    int n = items.size();
    long[] ids = new long[n];
    float[][] vectors = new float[n][];
    for (int i = 0; i < n; i++) {
      ids[i] = items.get(i).id;
      vectors[i] = items.get(i).vector;
    }
    items = null;
    checkUnique(ids);
    Index index = Indexes.build(algorithm, dimension, metric, params, ids, vectors, AddOptions.threads(threads));
    vectors = null;
    try {
      long bytes = IndexStore.save(index, new Path(directory, IndexStore.fileName(partition)), hadoop.value().get());
      IndexCache.shared().put(IndexCache.key(directory, buildId, partition), index);
      return List.of(new Built(partition, n, replicas, index.ramBytesUsed(), bytes,
          (System.nanoTime() - start) / 1_000_000)).iterator();
    } catch (IOException e) {
      throw new UncheckedIOException("vers-spark: cannot save partition " + partition + " under " + directory + ": "
          + e.getMessage(), e);
    }
  }

  private void checkUnique(long[] ids) {
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException(KnnFit.WHO + ": idCol '" + idCol + "' holds the id " + sorted[i]
            + " more than once; every item needs its own id");
      }
    }
  }
}
