package io.vers.spark;

import static org.apache.spark.sql.functions.col;

import io.vers.api.IndexProvider;
import io.vers.api.Indexes;
import io.vers.spark.Records.Partial;
import io.vers.spi.SearchKnobs;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;
import scala.runtime.AbstractFunction1;

/**
 * {@link VersKnnModel#transform}: three stages, reading each query row once.
 *
 * <ol>
 *   <li>Route (over the query partitions): each row gets a key (its input partition and position) and is
 *       sent whole to the slot of its input partition, and its vector to every non-empty partition it
 *       visits. One shuffle with {@code P + M} slots: the {@code P} index partitions, then the {@code M}
 *       input partitions.
 *   <li>Search (over the {@code P} index partitions): the partition's index, from the executor's cache,
 *       answers its queries in blocks through the batch search; each answer goes, keyed, to the slot of
 *       its query's input partition (a second shuffle, of answers only).
 *   <li>Merge (over the {@code M} input partitions): the held rows, read straight from the first
 *       shuffle, meet their answers; each row leaves with the global top k.
 * </ol>
 *
 * <p>The rows themselves cross the network once; each query's vector once per partition it visits; each
 * answer once. Nothing depends on the order or position of rows across stages, so a recomputed or
 * re-ordered input cannot mix answers up, and every row comes out: a row whose partitions hold nothing
 * gets an empty array.
 */
final class KnnTransform {
  static final String WHO = "VersKnnModel";
  private static final String VECTOR = "__vers_query_vector";
  private static final String NULLS = "__vers_query_nulls";
  private static final String QUERY_ID = "__vers_query_id";

  private KnnTransform() {}

  @SuppressWarnings("unchecked")
  static Dataset<Row> transform(VersKnnModel model, Dataset<?> dataset) {
    ModelState state = model.state();
    SparkSession spark = dataset.sparkSession();
    StructType schema = dataset.schema();
    String featuresCol = model.getFeaturesCol();
    String queryIdCol = model.getQueryIdCol();
    boolean hasQueryId = Columns.has(schema, queryIdCol);
    List<Column> columns = new ArrayList<>();
    columns.add(col("*"));
    columns.add(Columns.features(schema, featuresCol, "featuresCol", WHO).as(VECTOR));
    columns.add(Columns.hasNullComponent(schema, featuresCol).as(NULLS));
    if (hasQueryId) {
      columns.add(Columns.id(schema, queryIdCol, "queryIdCol", WHO).as(QUERY_ID));
    }
    Dataset<Row> df = dataset.toDF().select(columns.toArray(new Column[0]));
    // Unknown or malformed knobs, or an algorithm missing from the class path, fail here, not in a task.
    IndexProvider provider = Indexes.provider(state.algorithm);
    new SearchKnobs(provider.name(), provider.searchParameters())
        .check(QueryPlan.searchParams(model.getSearchParams(), model.getTargetRecall()));

    int partitions = state.partitions();
    QueryPlan plan = new QueryPlan(state.router(), partitions, model.effectiveProbePartitions(), state.dimension,
        state.metric, model.getK(), model.getExcludeSelf(), hasQueryId, schema.size(), featuresCol, queryIdCol,
        state.directory, state.buildId, state.sizes, model.getSearchParams(), model.getTargetRecall(),
        model.getSearchThreads(), model.getBlockSize());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<QueryPlan> planBc = jsc.broadcast(plan);
    Broadcast<HadoopConf> hadoop = jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));

    JavaRDD<Row> rows = df.javaRDD();
    int inputs = rows.getNumPartitions();
    JavaPairRDD<Integer, Object> routed = JavaPairRDD.fromJavaRDD(
        rows.mapPartitionsWithIndex(new QueryStages.Route(planBc), false))
        .partitionBy(new TargetPartitioner(partitions + inputs));

    ClassTag<Tuple2<Integer, Object>> tag = (ClassTag<Tuple2<Integer, Object>>) (ClassTag<?>) ClassTag$.MODULE$
        .apply(Tuple2.class);
    RDD<Tuple2<Integer, Object>> shuffled = routed.rdd();
    JavaRDD<Tuple2<Integer, Object>> queries =
        new JavaRDD<>(PartitionPruningRDD.create(shuffled, new Slots(0, partitions)), tag);
    JavaRDD<Tuple2<Integer, Object>> held =
        new JavaRDD<>(PartitionPruningRDD.create(shuffled, new Slots(partitions, partitions + inputs)), tag);
    JavaPairRDD<Integer, Partial> answers = JavaPairRDD.fromJavaRDD(
        queries.mapPartitionsWithIndex(new QueryStages.Search(planBc, hadoop), false))
        .partitionBy(new TargetPartitioner(inputs));
    JavaRDD<Row> out = held.zipPartitions(answers, new QueryStages.Merge(planBc));
    return spark.createDataFrame(out, model.transformSchema(schema));
  }

  /** Keeps the partitions numbered in {@code [from, to)}. */
  static final class Slots extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int from;
    private final int to;

    Slots(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public Object apply(Object partition) {
      int p = (Integer) partition;
      return p >= from && p < to;
    }
  }
}
