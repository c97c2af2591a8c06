package io.vers.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.spark.Records.Built;
import io.vers.spark.Records.Item;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@link VersKnn#fit}: read and check the items, train the cells (ivf), send every item to its
 * partition(s), and build, save and cache each partition's index on the executors.
 *
 * <p>Jobs: one to find the dimension (the first item), one pass that checks every item, counts them and
 * samples them (ivf), one aggregation over the ids for duplicates (ivf), and the build, whose shuffle
 * moves each item (and each replica) once. The checked items are persisted between the passes unless
 * the input already is.
 */
final class KnnFit {
  private static final Logger LOG = LoggerFactory.getLogger(KnnFit.class);
  static final String WHO = "VersKnn";

  private KnnFit() {}

  static ModelState fit(VersKnn est, Dataset<?> dataset) {
    long start = System.nanoTime();
    SparkSession spark = dataset.sparkSession();
    StructType schema = dataset.schema();
    String idCol = est.getIdCol();
    String featuresCol = est.getFeaturesCol();
    Metric metric = Metric.valueOf(est.getMetric());
    String algorithm = est.getAlgorithm();
    Map<String, String> params = est.getParams();
    boolean ivf = est.getPartitioning().equals("ivf");

    Dataset<Row> df = dataset.select(Columns.id(schema, idCol, "idCol", WHO).as("id"),
        Columns.features(schema, featuresCol, "featuresCol", WHO).as("v"),
        Columns.hasNullComponent(schema, featuresCol).as("n"));
    List<Row> first = df.where(col("v").isNotNull()).select(size(col("v"))).limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new IllegalArgumentException(WHO + ": the dataset has no items with a vector in featuresCol '"
          + featuresCol + "'");
    }
    int dimension = first.get(0).getInt(0);
    if (dimension < 1) {
      throw new IllegalArgumentException(WHO + ": featuresCol '" + featuresCol + "' holds empty vectors");
    }
    Indexes.create(algorithm, dimension, metric, params); // unknown algorithm or parameter: fail here

    JavaRDD<Item> items = df.javaRDD().map(new ToItem(dimension, metric, idCol, featuresCol));
    boolean persist = dataset.storageLevel().equals(StorageLevel.NONE());
    if (persist) {
      items.persist(StorageLevel.MEMORY_AND_DISK());
    }
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Router router = null;
      CellTrainer.Result cells = null;
      int partitions = est.getNumPartitions();
      if (ivf && est.presetCentroids() != null) {
        float[][] preset = est.presetCentroids();
        float[] flat = new float[preset.length * dimension];
        for (int c = 0; c < preset.length; c++) {
          System.arraycopy(preset[c], 0, flat, c * dimension, dimension);
        }
        cells = new CellTrainer.Result(flat, dimension, preset.length, 0, 0);
        router = new Router(flat, dimension, metric, 0);
        partitions = router.cells();
      } else if (ivf) {
        int capacity = est.getSampleSize() > 0 ? est.getSampleSize() : Math.max(10_000, 256 * partitions);
        Reservoir reservoir = items.treeAggregate(new Reservoir(capacity, est.getSeed()),
            (r, item) -> r.add(item.id, item.vector), Reservoir::merge, 2);
        if (est.getCheckDuplicateIds()) {
          checkDuplicates(dataset, idCol);
        }
        float[][] sample = reservoir.sample();
        cells = CellTrainer.train(sample, dimension, partitions, metric, est.getSeed(),
            est.getBuildThreads(), est.getMaxPartitionFactor());
        Router once = new Router(cells.centroids, dimension, metric, 0);
        router = new Router(cells.centroids, dimension, metric,
            once.boundFor(sample, est.getReplicationFraction()));
        partitions = router.cells();
      }

      Configuration conf = spark.sparkContext().hadoopConfiguration();
      String buildId = UUID.randomUUID().toString();
      Path dir = buildDirectory(est, conf, buildId);
      Broadcast<HadoopConf> hadoop = jsc.broadcast(new HadoopConf(conf));
      Broadcast<Router> routerBc = router == null ? null : jsc.broadcast(router);
      BuildPartition build = new BuildPartition(algorithm, params, dimension, metric, est.getBuildThreads(),
          dir.toString(), buildId, idCol, hadoop);
      List<Built> built = items.flatMapToPair(new Assign(routerBc, partitions))
          .partitionBy(new TargetPartitioner(partitions))
          .mapPartitionsWithIndex(build, false)
          .collect();
      hadoop.destroy();
      if (routerBc != null) {
        routerBc.destroy();
      }

      long[] sizes = new long[partitions];
      long[] replicas = new long[partitions];
      long[] ram = new long[partitions];
      long[] file = new long[partitions];
      for (Built b : built) {
        sizes[b.partition] = b.size;
        replicas[b.partition] = b.replicas;
        ram[b.partition] = b.ramBytes;
        file[b.partition] = b.fileBytes;
      }
      long total = 0;
      for (int p = 0; p < partitions; p++) {
        total += sizes[p] - replicas[p];
      }
      ModelState state = new ModelState(buildId, dir.toString(), dimension, metric, algorithm, params,
          ivf ? "ivf" : "hash", router == null ? null : router.centroids(), router == null ? 0 : router.replicaBound(),
          cells == null ? 0 : cells.trained, cells == null ? 0 : cells.split, cells == null ? 0 : cells.splitInto,
          total, sizes, replicas, ram, file, (System.nanoTime() - start) / 1e9);
      LOG.info("vers-spark: {}", state.summary());
      return state;
    } finally {
      if (persist) {
        items.unpersist(false);
      }
    }
  }

  /** The directory of this build's partition files: {@code indexDir/<uid>-<build>}. */
  private static Path buildDirectory(VersKnn est, Configuration conf, String buildId) {
    try {
      boolean temporary = est.getIndexDir().isEmpty();
      Path base = new Path(temporary ? "/tmp/vers-spark" : est.getIndexDir());
      FileSystem fs = base.getFileSystem(conf);
      Path dir = fs.makeQualified(new Path(base, est.uid() + "-" + buildId));
      fs.mkdirs(dir);
      if (temporary) {
        fs.deleteOnExit(dir);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(WHO + ": cannot create the index directory under indexDir '"
          + est.getIndexDir() + "': " + e.getMessage(), e);
    }
  }

  private static void checkDuplicates(Dataset<?> dataset, String idCol) {
    List<Row> dup = dataset.groupBy(col(Columns.quoted(idCol))).agg(count(lit(1)).as("__vers_n"))
        .where(col("__vers_n").gt(1)).limit(1).collectAsList();
    if (!dup.isEmpty()) {
      throw new IllegalArgumentException(WHO + ": idCol '" + idCol + "' holds the id " + dup.get(0).get(0) + " in "
          + dup.get(0).getLong(1) + " rows; every item needs its own id");
    }
  }

  /** A checked item from a row (id, vector, has-null-component). */
  static final class ToItem implements Function<Row, Item> {
    private static final long serialVersionUID = 1L;
    private final int dimension;
    private final Metric metric;
    private final String idCol;
    private final String featuresCol;

    ToItem(int dimension, Metric metric, String idCol, String featuresCol) {
      this.dimension = dimension;
      this.metric = metric;
      this.idCol = idCol;
      this.featuresCol = featuresCol;
    }

    @Override
    public Item call(Row row) {
      if (row.isNullAt(0)) {
        throw new IllegalArgumentException(WHO + ": idCol '" + idCol + "' is null in a row; every item needs an id");
      }
      long id = row.getLong(0);
      float[] v = Columns.floats(row, 1, !row.isNullAt(2) && row.getBoolean(2), dimension, metric,
          WHO + ": featuresCol '" + featuresCol + "' of the item with id " + id);
      return new Item(id, v, false);
    }
  }

  /** Sends an item to its cell (and its replica's), or, under hash partitioning, to its id's partition. */
  static final class Assign implements PairFlatMapFunction<Item, Integer, Item> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<Router> router;
    private final int partitions;
    private transient float[] scratch;

    Assign(Broadcast<Router> router, int partitions) {
      this.router = router;
      this.partitions = partitions;
    }

    @Override
    public Iterator<Tuple2<Integer, Item>> call(Item item) {
      if (router == null) {
        return List.of(new Tuple2<>(hashPartition(item.id, partitions), item)).iterator();
      }
      Router r = router.value();
      if (scratch == null) {
        scratch = new float[r.dimension()];
      }
      long cells = r.assign(item.vector, scratch);
      Tuple2<Integer, Item> primary = new Tuple2<>(Router.primary(cells), item);
      int replica = Router.replica(cells);
      if (replica < 0) {
        return List.of(primary).iterator();
      }
      List<Tuple2<Integer, Item>> out = new ArrayList<>(2);
      out.add(primary);
      out.add(new Tuple2<>(replica, new Item(item.id, item.vector, true)));
      return out.iterator();
    }
  }

  /** The hash partition of an id: its bits mixed, modulo the partitions. */
  static int hashPartition(long id, int partitions) {
    long z = (id ^ (id >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return (int) Math.floorMod(z ^ (z >>> 33), (long) partitions);
  }
}
