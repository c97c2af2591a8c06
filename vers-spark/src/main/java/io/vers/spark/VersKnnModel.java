package io.vers.spark;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Partition indexes built by {@link VersKnn}, answering k nearest neighbour queries.
 * {@link #transform} appends {@code outputCol} (default {@code neighbors}),
 * {@code array<struct<id: bigint, distance: float>>}, nearest first, to every query row: one row out
 * for every row in, in any order. A query whose partitions hold no items gets an empty array.
 *
 * <pre>{@code
 * Dataset<Row> answered = model.setK(10).setProbePartitions(4).setSearchParam("ef", 64).transform(queries);
 * // the k nearest other items of every item (the self-join):
 * Dataset<Row> similar = model.setExcludeSelf(true).setQueryIdCol("id").transform(items);
 * model.write().overwrite().save("hdfs:///models/products");
 * VersKnnModel same = VersKnnModel.load("hdfs:///models/products");
 * }</pre>
 *
 * <h2>How a query is answered</h2>
 * Each query row is read once: the row goes to the task that will merge its answer, and its vector to each
 * partition it visits (under {@code ivf} its {@code probePartitions} nearest cells, under {@code hash}
 * every partition). Each partition's task takes its index from the executor's cache (loading it once per
 * JVM), searches its queries in blocks of {@code blockSize} through the batch search, and sends each
 * query's top {@code k} to the merging task, which keeps the global top {@code k} (each id once) and
 * writes the row out. A query never depends on the position of its row, so recomputed or reordered input
 * cannot mix answers up.
 */
public final class VersKnnModel extends Model<VersKnnModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ModelState state;
  private final Param<String> featuresCol;
  private final Param<String> queryIdCol;
  private final Param<String> outputCol;
  private final IntParam k;
  private final IntParam probePartitions;
  private final BooleanParam excludeSelf;
  private final StringMapParam searchParams;
  private final DoubleParam targetRecall;
  private final IntParam searchThreads;
  private final IntParam blockSize;

  VersKnnModel(String uid, ModelState state) {
    this.uid = uid;
    this.state = state;
    featuresCol = new Param<>(this, "featuresCol", "query features column: array<float>, array<double> or an ML "
        + "Vector");
    queryIdCol = new Param<>(this, "queryIdCol", "query id column (bigint or int): named in messages, and left "
        + "out of its own answer by the self-join; optional unless excludeSelf");
    outputCol = new Param<>(this, "outputCol", "output column: array<struct<id: bigint, distance: float>>");
    k = new IntParam(this, "k", "neighbours per query", ParamValidators.gtEq(1));
    probePartitions = new IntParam(this, "probePartitions", "ivf: partitions each query visits, nearest first; "
        + "0 = a quarter of the partitions, rounded up; hash visits every partition", ParamValidators.gtEq(0));
    excludeSelf = new BooleanParam(this, "excludeSelf", "self-join: leave the item whose id equals the query's "
        + "queryIdCol out of its answer");
    searchParams = new StringMapParam(this, "searchParams", "search knobs of the partition indexes, by name "
        + "(ef for hnsw, nprobe for ivfflat, searchK for lsh)");
    targetRecall = new DoubleParam(this, "targetRecall", "recall@k each partition index aims for, choosing its "
        + "own knob from a calibration on its vectors; 0 = unset", ParamValidators.inRange(0, 1));
    searchThreads = new IntParam(this, "searchThreads", "threads each task searches its partition with",
        ParamValidators.gtEq(1));
    blockSize = new IntParam(this, "blockSize", "queries per batch search call", ParamValidators.gtEq(1));
    setDefault(featuresCol, "features");
    setDefault(queryIdCol, "id");
    setDefault(outputCol, "neighbors");
    setDefault(k, 10);
    setDefault(probePartitions, 0);
    setDefault(excludeSelf, false);
    setDefault(searchParams, Map.of());
    setDefault(targetRecall, 0.0);
    setDefault(searchThreads, 1);
    setDefault(blockSize, 1024);
  }

  @Override
  public String uid() {
    return uid;
  }

  ModelState state() {
    return state;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return KnnTransform.transform(this, dataset);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Columns.features(schema, getFeaturesCol(), "featuresCol", "VersKnnModel");
    if (getExcludeSelf()) {
      Columns.id(schema, getQueryIdCol(), "queryIdCol", "VersKnnModel (excludeSelf)");
    }
    if (Columns.has(schema, getOutputCol())) {
      throw new IllegalArgumentException("VersKnnModel: outputCol '" + getOutputCol() + "' is already a column of "
          + "the dataset; choose another name with setOutputCol");
    }
    return schema.add(new StructField(getOutputCol(), neighborsType(), false, Metadata.empty()));
  }

  /** {@code array<struct<id: bigint, distance: float>>}. */
  public static org.apache.spark.sql.types.ArrayType neighborsType() {
    StructType neighbour = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("distance", DataTypes.FloatType, false)});
    return DataTypes.createArrayType(neighbour, false);
  }

  @Override
  public VersKnnModel copy(ParamMap extra) {
    VersKnnModel copy = new VersKnnModel(uid, state);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  /** Writes the model: metadata, centroids and one vers-io file per partition. */
  @Override
  public MLWriter write() {
    return new ModelIO.Writer(this);
  }

  /** Reads a model saved with {@code write().save(path)}. */
  public static MLReader<VersKnnModel> read() {
    return new ModelIO.Reader();
  }

  /** Reads the model saved at {@code path} (any Hadoop file system path). */
  public static VersKnnModel load(String path) {
    return read().load(path);
  }

  // ---------------------------------------------------------------- what was built

  /** The number of partitions, each with its own index. */
  public int numPartitions() {
    return state.partitions();
  }

  /** {@code ivf} or {@code hash}. */
  public String partitioning() {
    return state.partitioning;
  }

  /** The vers algorithm of the partition indexes. */
  public String algorithm() {
    return state.algorithm;
  }

  /** The dimension of the vectors. */
  public int dimension() {
    return state.dimension;
  }

  /** The distance: {@code L2}, {@code COSINE} or {@code DOT}. */
  public String metricName() {
    return state.metric.name();
  }

  /** Items fitted (each once). */
  public long numItems() {
    return state.items;
  }

  /** Vectors stored in each partition, replicas included. */
  public long[] partitionSizes() {
    return state.sizes.clone();
  }

  /** Replica copies (items also stored in their second-nearest cell) in each partition. */
  public long[] partitionReplicas() {
    return state.replicas.clone();
  }

  /** Heap bytes of each partition's index when built ({@code Index.ramBytesUsed}). */
  public long[] partitionRamBytes() {
    return state.ramBytes.clone();
  }

  /** The ivf centroids, one per partition, or null under hash partitioning. */
  public float[][] centroids() {
    return state.centroidRows();
  }

  /** Seconds {@code fit} took. */
  public double buildSeconds() {
    return state.buildSeconds;
  }

  /** A one-paragraph account of the partitions: sizes, replication, skew splits. */
  public String summary() {
    return state.summary();
  }

  @Override
  public String toString() {
    return "VersKnnModel{" + uid + ", " + state.summary() + "}";
  }

  // ---------------------------------------------------------------- parameters

  /** The {@code featuresCol} parameter. */
  public Param<String> featuresCol() {
    return featuresCol;
  }

  /** The {@code queryIdCol} parameter. */
  public Param<String> queryIdCol() {
    return queryIdCol;
  }

  /** The {@code outputCol} parameter. */
  public Param<String> outputCol() {
    return outputCol;
  }

  /** The {@code k} parameter. */
  public IntParam k() {
    return k;
  }

  /** The {@code probePartitions} parameter. */
  public IntParam probePartitions() {
    return probePartitions;
  }

  /** The {@code excludeSelf} parameter. */
  public BooleanParam excludeSelf() {
    return excludeSelf;
  }

  /** The {@code searchParams} parameter. */
  public StringMapParam searchParams() {
    return searchParams;
  }

  /** The {@code targetRecall} parameter. */
  public DoubleParam targetRecall() {
    return targetRecall;
  }

  /** The {@code searchThreads} parameter. */
  public IntParam searchThreads() {
    return searchThreads;
  }

  /** The {@code blockSize} parameter. */
  public IntParam blockSize() {
    return blockSize;
  }

  /** The value of {@link #featuresCol()}. */
  public String getFeaturesCol() {
    return getOrDefault(featuresCol);
  }

  /** Sets {@link #featuresCol()}. */
  public VersKnnModel setFeaturesCol(String value) {
    set(featuresCol, value);
    return this;
  }

  /** The value of {@link #queryIdCol()}. */
  public String getQueryIdCol() {
    return getOrDefault(queryIdCol);
  }

  /** Sets {@link #queryIdCol()}. */
  public VersKnnModel setQueryIdCol(String value) {
    set(queryIdCol, value);
    return this;
  }

  /** The value of {@link #outputCol()}. */
  public String getOutputCol() {
    return getOrDefault(outputCol);
  }

  /** Sets {@link #outputCol()}. */
  public VersKnnModel setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  /** The value of {@link #k()}. */
  public int getK() {
    return (Integer) getOrDefault(k);
  }

  /** Sets {@link #k()}. */
  public VersKnnModel setK(int value) {
    set(k, value);
    return this;
  }

  /** The value of {@link #probePartitions()}. */
  public int getProbePartitions() {
    return (Integer) getOrDefault(probePartitions);
  }

  /** Partitions an {@code ivf} query visits, nearest first (at most all of them); 0 = a quarter, rounded up. */
  public VersKnnModel setProbePartitions(int value) {
    set(probePartitions, value);
    return this;
  }

  /** The partitions a query visits under the current settings. */
  public int effectiveProbePartitions() {
    int p = state.partitions();
    if (state.centroids == null) {
      return p;
    }
    int m = getProbePartitions();
    return m == 0 ? Math.max(1, (p + 3) / 4) : Math.min(m, p);
  }

  /** The value of {@link #excludeSelf()}. */
  public boolean getExcludeSelf() {
    return (Boolean) getOrDefault(excludeSelf);
  }

  /** Self-join: leave the item whose id equals the query's {@code queryIdCol} out of its answer. */
  public VersKnnModel setExcludeSelf(boolean value) {
    set(excludeSelf, value);
    return this;
  }

  /** The value of {@link #searchParams()}. */
  public Map<String, String> getSearchParams() {
    return getOrDefault(searchParams);
  }

  /** Sets a search knob of the partition indexes, such as {@code setSearchParam("ef", 64)} for hnsw. */
  public VersKnnModel setSearchParam(String name, double value) {
    Map<String, String> next = new TreeMap<>(getSearchParams());
    next.put(name, String.valueOf(value));
    set(searchParams, StringMapParam.copyOf(next));
    return this;
  }

  /** Replaces the search knobs. */
  public VersKnnModel setSearchParams(Map<String, ?> values) {
    set(searchParams, StringMapParam.copyOf(values));
    return this;
  }

  /** The value of {@link #targetRecall()}. */
  public double getTargetRecall() {
    return (Double) getOrDefault(targetRecall);
  }

  /** Lets each partition index choose its knob for this recall@k (0 unsets it). */
  public VersKnnModel setTargetRecall(double value) {
    set(targetRecall, value);
    return this;
  }

  /** The value of {@link #searchThreads()}. */
  public int getSearchThreads() {
    return (Integer) getOrDefault(searchThreads);
  }

  /** Sets {@link #searchThreads()}. */
  public VersKnnModel setSearchThreads(int value) {
    set(searchThreads, value);
    return this;
  }

  /** The value of {@link #blockSize()}. */
  public int getBlockSize() {
    return (Integer) getOrDefault(blockSize);
  }

  /** Sets {@link #blockSize()}. */
  public VersKnnModel setBlockSize(int value) {
    set(blockSize, value);
    return this;
  }
}
