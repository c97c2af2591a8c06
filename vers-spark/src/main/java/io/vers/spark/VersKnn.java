package io.vers.spark;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds vers indexes of the items of a {@link Dataset} across a Spark cluster: the items are split into
 * partitions, each partition's index is built on an executor, and the {@link VersKnnModel} answers k
 * nearest neighbour queries by sending each query only to the partitions that can hold its neighbours.
 *
 * <pre>{@code
 * VersKnnModel model = new VersKnn()
 *     .setIdCol("id").setFeaturesCol("features")          // bigint; array<float>, array<double> or Vector
 *     .setAlgorithm("hnsw").setParam("m", 16)
 *     .setNumPartitions(16).setBuildThreads(2)
 *     .fit(items);
 * Dataset<Row> answered = model.setK(10).setProbePartitions(4).transform(queries);
 * // answered: the query rows with neighbors: array<struct<id: bigint, distance: float>>, nearest first
 * }</pre>
 *
 * <h2>Partitioning</h2>
 * <ul>
 *   <li>{@code ivf} (default): the driver trains {@code numPartitions} centroids with vers's k-means on a
 *       sample of the items; each item is stored in its nearest centroid's partition, and also in its
 *       second-nearest when it lies near the boundary between the two ({@code replicationFraction}); a query
 *       visits its {@code probePartitions} nearest partitions. A cell far larger than the mean is split
 *       ({@code maxPartitionFactor}), so the model may have a few more partitions than asked for.
 *   <li>{@code hash}: items go to partitions by a hash of their id and every query visits every
 *       partition: the answer is the exact merge of every partition's top k.
 * </ul>
 *
 * <h2>Where the indexes live</h2>
 * Each partition's index is saved, in the normal vers-io format, under {@code indexDir} (any Hadoop file
 * system path the executors can read: HDFS, S3, a shared disk; by default {@code /tmp/vers-spark} on the
 * default file system, deleted when the driver exits) and loaded once per executor JVM for queries.
 * {@code model.write().save(path)} copies it to a lasting place.
 *
 * <h2>JVM options</h2>
 * The executors (and the driver in local mode) need {@code --add-modules jdk.incubator.vector} for
 * vers's SIMD kernels and {@code -Dkryo.unsafe=false}, for example through
 * {@code spark.executor.extraJavaOptions} and {@code spark.driver.extraJavaOptions}.
 */
public final class VersKnn extends Estimator<VersKnnModel> implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> idCol;
  private final Param<String> featuresCol;
  private final Param<String> algorithm;
  private final StringMapParam algorithmParams;
  private final Param<String> metric;
  private final IntParam numPartitions;
  private final Param<String> partitioning;
  private final IntParam buildThreads;
  private final DoubleParam replicationFraction;
  private final DoubleParam maxPartitionFactor;
  private final IntParam sampleSize;
  private final LongParam seed;
  private final Param<String> indexDir;
  private final BooleanParam checkDuplicateIds;
  private final IntParam k;
  private final IntParam probePartitions;
  private final Param<String> queryIdCol;
  private final Param<String> outputCol;

  /**
   * The share of items also stored in their second-nearest cell unless set: chosen by measurement on
   * clustered data whose clusters overlap (vers-spark/README.md), where it is the knee of recall against
   * memory.
   */
  public static final double DEFAULT_REPLICATION_FRACTION = 0.2;

  /** Cells given instead of trained, for tests of routing; not a parameter and not copied. */
  private transient float[][] presetCentroids;

  /** An estimator with a random uid and every parameter at its default. */
  public VersKnn() {
    this(Identifiable$.MODULE$.randomUID("versKnn"));
  }

  /** An estimator with the given uid (as Spark ML's readers create one). */
  public VersKnn(String uid) {
    this.uid = uid;
    idCol = new Param<>(this, "idCol", "item id column: bigint or int, unique");
    featuresCol = new Param<>(this, "featuresCol", "features column: array<float>, array<double> or an ML Vector");
    algorithm = new Param<>(this, "algorithm", "vers algorithm of each partition's index: hnsw, ivfflat, lsh, flat "
        + "or any other provider on the class path");
    algorithmParams = new StringMapParam(this, "algorithmParams", "build parameters of the algorithm, by name");
    metric = new Param<>(this, "metric", "distance: L2 (squared Euclidean), COSINE or DOT",
        ParamValidators.inArray(List.of("L2", "COSINE", "DOT")));
    numPartitions = new IntParam(this, "numPartitions", "number of partitions (k-means cells for ivf; ivf may "
        + "add a few when it splits an oversized cell)", ParamValidators.gtEq(1));
    partitioning = new Param<>(this, "partitioning", "ivf: k-means cells, a query visits its probePartitions "
        + "nearest; hash: by id, a query visits every partition", ParamValidators.inArray(List.of("ivf", "hash")));
    buildThreads = new IntParam(this, "buildThreads", "threads building each partition's index",
        ParamValidators.gtEq(1));
    replicationFraction = new DoubleParam(this, "replicationFraction", "ivf: the share of items, those "
        + "nearest the boundary of their cell, also stored in their second-nearest cell: an item is when "
        + "|x - c2| <= (1 + epsilon) |x - c1|, epsilon chosen on the sample so that this share of items "
        + "qualifies; costs that share of memory; 0 stores each item once", ParamValidators.inRange(0, 1));
    maxPartitionFactor = new DoubleParam(this, "maxPartitionFactor", "ivf: a cell holding more than this "
        + "many times the mean share of the sample is split by k-means into cells of about the mean size",
        ParamValidators.gt(1));
    sampleSize = new IntParam(this, "sampleSize", "ivf: items sampled to train the cells on; 0 = "
        + "max(10000, 256 * numPartitions)", ParamValidators.gtEq(0));
    seed = new LongParam(this, "seed", "seed of the sample and of k-means");
    indexDir = new Param<>(this, "indexDir", "directory (any Hadoop file system path the executors can read) "
        + "for the partition indexes; empty = /tmp/vers-spark on the default file system, deleted when the "
        + "driver exits");
    checkDuplicateIds = new BooleanParam(this, "checkDuplicateIds", "ivf: refuse items whose id appears more "
        + "than once (one aggregation over the ids); hash partitioning always checks, at no cost");
    k = new IntParam(this, "k", "neighbours per query", ParamValidators.gtEq(1));
    probePartitions = new IntParam(this, "probePartitions", "ivf: partitions each query visits, nearest "
        + "first; 0 = a quarter of the partitions, rounded up", ParamValidators.gtEq(0));
    queryIdCol = new Param<>(this, "queryIdCol", "query id column, for messages and the self-join");
    outputCol = new Param<>(this, "outputCol", "output column: array<struct<id: bigint, distance: float>>");

    setDefault(idCol, "id");
    setDefault(featuresCol, "features");
    setDefault(algorithm, "hnsw");
    setDefault(algorithmParams, Map.of());
    setDefault(metric, "L2");
    setDefault(numPartitions, 16);
    setDefault(partitioning, "ivf");
    setDefault(buildThreads, 1);
    setDefault(replicationFraction, DEFAULT_REPLICATION_FRACTION);
    setDefault(maxPartitionFactor, 2.0);
    setDefault(sampleSize, 0);
    setDefault(seed, 42L);
    setDefault(indexDir, "");
    setDefault(checkDuplicateIds, true);
    setDefault(k, 10);
    setDefault(probePartitions, 0);
    setDefault(queryIdCol, "id");
    setDefault(outputCol, "neighbors");
  }

  @Override
  public String uid() {
    return uid;
  }

  /**
   * Builds the partition indexes of {@code dataset}'s items.
   *
   * @throws IllegalArgumentException if a column is missing or of the wrong type, or an item has a null or
   *     invalid vector, a vector of another dimension, a null id or a duplicate id (the message names the
   *     column and the id); or if a parameter of the algorithm is unknown
   */
  @Override
  public VersKnnModel fit(Dataset<?> dataset) {
    Columns.id(dataset.schema(), getIdCol(), "idCol", "VersKnn");
    Columns.features(dataset.schema(), getFeaturesCol(), "featuresCol", "VersKnn");
    ModelState state;
    try {
      state = KnnFit.fit(this, dataset);
    } catch (Exception e) {
      throw Failures.unwrap(e);
    }
    VersKnnModel model = new VersKnnModel(uid, state);
    copyValues(model, extractParamMap());
    return model.setParent(this);
  }

  /**
   * Checks the item columns and returns the schema the model's {@code transform} gives the same rows (the
   * self-join): the columns and {@code outputCol}.
   */
  @Override
  public StructType transformSchema(StructType schema) {
    Columns.id(schema, getIdCol(), "idCol", "VersKnn");
    Columns.features(schema, getFeaturesCol(), "featuresCol", "VersKnn");
    if (Columns.has(schema, getOutputCol())) {
      throw new IllegalArgumentException("VersKnn: outputCol '" + getOutputCol() + "' is already a column of the "
          + "dataset; choose another name with setOutputCol");
    }
    return schema.add(new StructField(getOutputCol(), VersKnnModel.neighborsType(), false, Metadata.empty()));
  }

  @Override
  public VersKnn copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Reads an estimator saved with {@code write().save(path)}. */
  public static VersKnn load(String path) {
    return read().load(path);
  }

  /** The reader of saved estimators. */
  public static MLReader<VersKnn> read() {
    return new DefaultParamsReader<>();
  }

  /** Uses these centroids as the ivf cells instead of training them (for tests). */
  VersKnn presetCentroids(float[][] centroids) {
    this.presetCentroids = centroids;
    return this;
  }

  float[][] presetCentroids() {
    return presetCentroids;
  }

  // ---------------------------------------------------------------- the parameters

  /** The {@code idCol} parameter. */
  public Param<String> idCol() {
    return idCol;
  }

  /** The {@code featuresCol} parameter. */
  public Param<String> featuresCol() {
    return featuresCol;
  }

  /** The {@code algorithm} parameter. */
  public Param<String> algorithm() {
    return algorithm;
  }

  /** The {@code algorithmParams} parameter. */
  public StringMapParam algorithmParams() {
    return algorithmParams;
  }

  /** The {@code metric} parameter. */
  public Param<String> metric() {
    return metric;
  }

  /** The {@code numPartitions} parameter. */
  public IntParam numPartitions() {
    return numPartitions;
  }

  /** The {@code partitioning} parameter. */
  public Param<String> partitioning() {
    return partitioning;
  }

  /** The {@code buildThreads} parameter. */
  public IntParam buildThreads() {
    return buildThreads;
  }

  /** The {@code replicationFraction} parameter. */
  public DoubleParam replicationFraction() {
    return replicationFraction;
  }

  /** The {@code maxPartitionFactor} parameter. */
  public DoubleParam maxPartitionFactor() {
    return maxPartitionFactor;
  }

  /** The {@code sampleSize} parameter. */
  public IntParam sampleSize() {
    return sampleSize;
  }

  /** The {@code seed} parameter. */
  public LongParam seed() {
    return seed;
  }

  /** The {@code indexDir} parameter. */
  public Param<String> indexDir() {
    return indexDir;
  }

  /** The {@code checkDuplicateIds} parameter. */
  public BooleanParam checkDuplicateIds() {
    return checkDuplicateIds;
  }

  /** The {@code k} parameter. */
  public IntParam k() {
    return k;
  }

  /** The {@code probePartitions} parameter. */
  public IntParam probePartitions() {
    return probePartitions;
  }

  /** The {@code queryIdCol} parameter. */
  public Param<String> queryIdCol() {
    return queryIdCol;
  }

  /** The {@code outputCol} parameter. */
  public Param<String> outputCol() {
    return outputCol;
  }

  // ---------------------------------------------------------------- getters and setters

  /** The value of {@link #idCol()}. */
  public String getIdCol() {
    return getOrDefault(idCol);
  }

  /** Sets {@link #idCol()}. */
  public VersKnn setIdCol(String value) {
    set(idCol, value);
    return this;
  }

  /** The value of {@link #featuresCol()}. */
  public String getFeaturesCol() {
    return getOrDefault(featuresCol);
  }

  /** Sets {@link #featuresCol()}. */
  public VersKnn setFeaturesCol(String value) {
    set(featuresCol, value);
    return this;
  }

  /** The value of {@link #algorithm()}. */
  public String getAlgorithm() {
    return getOrDefault(algorithm);
  }

  /** The vers algorithm of every partition's index, by provider name ({@code hnsw}, {@code ivfflat}, ...). */
  public VersKnn setAlgorithm(String value) {
    set(algorithm, value.trim().toLowerCase(Locale.ROOT));
    return this;
  }

  /** The algorithm's build parameters set so far, by name. */
  public Map<String, String> getParams() {
    return getOrDefault(algorithmParams);
  }

  /** Sets one build parameter of the algorithm, such as {@code setParam("m", 16)}. */
  public VersKnn setParam(String name, Object value) {
    Map<String, String> next = new TreeMap<>(getParams());
    next.put(name, String.valueOf(value));
    set(algorithmParams, StringMapParam.copyOf(next));
    return this;
  }

  /** Replaces the algorithm's build parameters. */
  public VersKnn setParams(Map<String, ?> values) {
    set(algorithmParams, StringMapParam.copyOf(values));
    return this;
  }

  /** The value of {@link #metric()}. */
  public String getMetric() {
    return getOrDefault(metric);
  }

  /** {@code L2}, {@code COSINE} or {@code DOT}, ignoring case. */
  public VersKnn setMetric(String value) {
    set(metric, value.trim().toUpperCase(Locale.ROOT));
    return this;
  }

  /** The value of {@link #numPartitions()}. */
  public int getNumPartitions() {
    return (Integer) getOrDefault(numPartitions);
  }

  /** Sets {@link #numPartitions()}. */
  public VersKnn setNumPartitions(int value) {
    set(numPartitions, value);
    return this;
  }

  /** The value of {@link #partitioning()}. */
  public String getPartitioning() {
    return getOrDefault(partitioning);
  }

  /** {@code ivf} or {@code hash}, ignoring case. */
  public VersKnn setPartitioning(String value) {
    set(partitioning, value.trim().toLowerCase(Locale.ROOT));
    return this;
  }

  /** The value of {@link #buildThreads()}. */
  public int getBuildThreads() {
    return (Integer) getOrDefault(buildThreads);
  }

  /**
   * Threads each task uses to build its partition's index. Spark runs one task per core: raise this
   * together with {@code spark.task.cpus} when there are fewer partitions than cores.
   */
  public VersKnn setBuildThreads(int value) {
    set(buildThreads, value);
    return this;
  }

  /** The value of {@link #replicationFraction()}. */
  public double getReplicationFraction() {
    return (Double) getOrDefault(replicationFraction);
  }

  /**
   * The share of items (0 to 1) also stored in their second-nearest cell: those nearest the boundary.
   * Raises recall at a given {@code probePartitions} for that much more memory; 0 stores each item once.
   */
  public VersKnn setReplicationFraction(double value) {
    set(replicationFraction, value);
    return this;
  }

  /** The value of {@link #maxPartitionFactor()}. */
  public double getMaxPartitionFactor() {
    return (Double) getOrDefault(maxPartitionFactor);
  }

  /** Sets {@link #maxPartitionFactor()}. */
  public VersKnn setMaxPartitionFactor(double value) {
    set(maxPartitionFactor, value);
    return this;
  }

  /** The value of {@link #sampleSize()}. */
  public int getSampleSize() {
    return (Integer) getOrDefault(sampleSize);
  }

  /** Sets {@link #sampleSize()}. */
  public VersKnn setSampleSize(int value) {
    set(sampleSize, value);
    return this;
  }

  /** The value of {@link #seed()}. */
  public long getSeed() {
    return (Long) getOrDefault(seed);
  }

  /** Sets {@link #seed()}. */
  public VersKnn setSeed(long value) {
    set(seed, value);
    return this;
  }

  /** The value of {@link #indexDir()}. */
  public String getIndexDir() {
    return getOrDefault(indexDir);
  }

  /** Sets {@link #indexDir()}. */
  public VersKnn setIndexDir(String value) {
    set(indexDir, value);
    return this;
  }

  /** The value of {@link #checkDuplicateIds()}. */
  public boolean getCheckDuplicateIds() {
    return (Boolean) getOrDefault(checkDuplicateIds);
  }

  /** Sets {@link #checkDuplicateIds()}. */
  public VersKnn setCheckDuplicateIds(boolean value) {
    set(checkDuplicateIds, value);
    return this;
  }

  /** The value of {@link #k()}. */
  public int getK() {
    return (Integer) getOrDefault(k);
  }

  /** The model's {@code k}. */
  public VersKnn setK(int value) {
    set(k, value);
    return this;
  }

  /** The value of {@link #probePartitions()}. */
  public int getProbePartitions() {
    return (Integer) getOrDefault(probePartitions);
  }

  /** The model's {@code probePartitions}. */
  public VersKnn setProbePartitions(int value) {
    set(probePartitions, value);
    return this;
  }

  /** The value of {@link #queryIdCol()}. */
  public String getQueryIdCol() {
    return getOrDefault(queryIdCol);
  }

  /** The model's {@code queryIdCol}. */
  public VersKnn setQueryIdCol(String value) {
    set(queryIdCol, value);
    return this;
  }

  /** The value of {@link #outputCol()}. */
  public String getOutputCol() {
    return getOrDefault(outputCol);
  }

  /** The model's {@code outputCol}. */
  public VersKnn setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }
}
