package io.vers.spark.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import io.vers.spark.VersKnn;
import io.vers.spark.VersKnnModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * The Spark benchmark: builds {@link VersKnn} models of synthetic clustered vectors (overlapping
 * clusters, {@link SyntheticData}) for several partition counts, and measures for each build seconds,
 * partition sizes and replication memory, and recall@10 and queries per second against
 * {@code probePartitions}; then the answer a Spark user would write without vers (a cross join with a
 * distance UDF and a top k per query by a window) on a subset of the queries, and the ratio.
 *
 * <p>Recall is measured against the exact top 10 computed on the driver with vers's exact {@code flat}
 * index. Queries per second: queries over the wall time of {@code transform} and collecting its answers
 * (ids and distances), with the indexes already loaded in the executors (as after {@code fit}), after one
 * untimed warm-up run. Run it with {@code vers-spark/spark-bench} (see the README); {@code --help} lists
 * the options.
 */
public final class SparkKnnBenchmark {
  private SparkKnnBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    int n = Integer.parseInt(o.get("size"));
    int dim = Integer.parseInt(o.get("dim"));
    int clusters = Integer.parseInt(o.get("clusters"));
    double spread = Double.parseDouble(o.get("spread"));
    int nq = Integer.parseInt(o.get("queries"));
    int crossQueries = Integer.parseInt(o.get("cross-join-queries"));
    int[] partitionCounts = ints(o.get("partitions"));
    int[] probes = ints(o.get("probes"));
    String algorithm = o.get("algorithm");
    double replication = Double.parseDouble(o.get("replication"));
    int k = 10;

    SyntheticData data = new SyntheticData(dim, clusters, spread, Long.parseLong(o.get("seed")));
    System.out.printf(Locale.ROOT, "data: %,d x %d, %d clusters, spread %.2f; %,d queries; algorithm %s %s, search %s; "
        + "replication %.2f%n", n, dim, clusters, spread, nq, algorithm, params(o, "param"), params(o, "search-param"),
        replication);
    long t0 = System.nanoTime();
    float[][] items = data.items(0, n);
    float[][] queries = data.queries(nq);
    RoutingStudy study = new RoutingStudy(items, queries, k, Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "exact top %d of every query on the driver (flat): %.1f s%n", k, secs(t0));
    items = null;

    SparkSession spark = SparkSession.builder().master(o.get("master")).appName("vers-spark benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", o.get("shuffle-partitions"))
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    ShuffleBytes shuffled = new ShuffleBytes();
    spark.sparkContext().addSparkListener(shuffled);
    try {
      Dataset<Row> itemFrame = frame(spark, data, 0, n, o);
      Dataset<Row> queryFrame = frame(spark, data, 1, nq, o);
      long t1 = System.nanoTime();
      System.out.printf(Locale.ROOT, "generated and cached %,d items and %,d queries in Spark: %.1f s%n",
          itemFrame.count(), queryFrame.count(), secs(t1));

      List<String> table = new ArrayList<>();
      table.add("| P | probePartitions | recall@10 | QPS | shuffled KB/query | build s | stored vectors (replicas) | "
          + "index heap MB | partition sizes min / median / max |");
      table.add("|---|---|---|---|---|---|---|---|---|");
      for (int partitions : partitionCounts) {
        VersKnn knn = new VersKnn().setAlgorithm(algorithm).setNumPartitions(partitions)
            .setReplicationFraction(replication).setBuildThreads(Integer.parseInt(o.get("build-threads")));
        knn.setParams(params(o, "param"));
        if (!o.get("index-dir").isEmpty()) {
          knn.setIndexDir(o.get("index-dir"));
        }
        long tb = System.nanoTime();
        VersKnnModel model = knn.fit(itemFrame);
        double build = secs(tb);
        System.out.printf(Locale.ROOT, "P=%d: built in %.1f s: %s%n", partitions, build, model.summary());
        model.setSearchParams(params(o, "search-param")).setK(k);
        answer(model.setProbePartitions(probes[0]), queryFrame.limit(Math.min(nq, 1000))); // warm-up
        for (int m : probes) {
          if (m > model.numPartitions()) {
            continue;
          }
          long bytes0 = shuffled.bytes();
          long tq = System.nanoTime();
          long[][] got = answer(model.setProbePartitions(m), queryFrame);
          double s = secs(tq);
          double kb = (shuffled.bytes() - bytes0) / 1024.0 / nq;
          double recall = recall(study, got, k);
          long[] sizes = model.partitionSizes();
          long[] sorted = sizes.clone();
          Arrays.sort(sorted);
          long stored = Arrays.stream(sizes).sum();
          System.out.printf(Locale.ROOT, "P=%d probePartitions=%d: recall@10 %.4f, %,.0f queries/s (%.2f s), "
              + "%.2f KB shuffled per query%n", partitions, m, recall, nq / s, s, kb);
          table.add(String.format(Locale.ROOT,
              "| %d | %d | %.4f | %,.0f | %.2f | %.1f | %,d (+%.1f%%) | %.1f | %d / %d / %d |",
              model.numPartitions(), m, recall, nq / s, kb, build, stored,
              100.0 * (stored - model.numItems()) / model.numItems(),
              Arrays.stream(model.partitionRamBytes()).sum() / 1048576.0, sorted[0], sorted[sorted.length / 2],
              sorted[sorted.length - 1]));
        }
      }

      if (crossQueries > 0) {
        long bytes0 = shuffled.bytes();
        long tc = System.nanoTime();
        long[][] brute = crossJoin(spark, itemFrame, queryFrame.limit(crossQueries), k, crossQueries);
        double s = secs(tc);
        double kb = (shuffled.bytes() - bytes0) / 1024.0 / crossQueries;
        double recall = recall(study, brute, k);
        System.out.printf(Locale.ROOT, "cross join of %d queries x %,d items with a distance UDF and a window top %d: "
            + "%.1f s, %.2f queries/s, recall@10 %.4f, %.1f KB shuffled per query%n", crossQueries, n, k, s,
            crossQueries / s, recall, kb);
        table.add("");
        table.add(String.format(Locale.ROOT, "cross join (UDF + window), %d queries: %.1f s, %.2f queries/s, recall@10 "
            + "%.4f, %.1f KB shuffled per query", crossQueries, s, crossQueries / s, recall, kb));
      }
      System.out.println();
      table.forEach(System.out::println);
    } finally {
      spark.stop();
    }
  }

  /** Bytes every task has written to shuffles, summed as tasks end. */
  static final class ShuffleBytes extends SparkListener {
    private final AtomicLong bytes = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      if (end.taskMetrics() != null) {
        bytes.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
      }
    }

    /** The bytes so far; events arrive asynchronously, so wait for the listener bus to drain first. */
    long bytes() {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return bytes.get();
    }
  }

  /** Vectors {@code [0, count)} of a stream, generated on the executors and cached. */
  private static Dataset<Row> frame(SparkSession spark, SyntheticData data, int stream, int count,
      Map<String, String> o) {
    UserDefinedFunction vector = udf((UDF1<Long, float[]>) id -> data.vector(stream, id),
        DataTypes.createArrayType(DataTypes.FloatType, false));
    return spark.range(0, count, 1, Integer.parseInt(o.get("input-partitions")))
        .select(col("id"), vector.apply(col("id")).as("features")).cache();
  }

  /** The ids of every query's answer, by query id. */
  private static long[][] answer(VersKnnModel model, Dataset<Row> queries) {
    List<Row> rows = model.transform(queries).select(col("id"), col("neighbors.id")).collectAsList();
    long[][] out = new long[(int) rows.stream().mapToLong(r -> r.getLong(0)).max().orElse(-1) + 1][];
    for (Row r : rows) {
      List<Long> ids = r.getList(1);
      out[(int) r.getLong(0)] = ids.stream().mapToLong(Long::longValue).toArray();
    }
    return out;
  }

  /** What a Spark user writes without vers: every pair's distance, then a window's top k per query. */
  private static long[][] crossJoin(SparkSession spark, Dataset<Row> items, Dataset<Row> queries, int k, int count) {
    UserDefinedFunction l2 = udf((UDF2<scala.collection.Seq<Object>, scala.collection.Seq<Object>, Float>) (a, b) -> {
      float s = 0;
      for (int i = 0; i < a.length(); i++) {
        float d = (Float) a.apply(i) - (Float) b.apply(i);
        s += d * d;
      }
      return s;
    }, DataTypes.FloatType);
    Dataset<Row> pairs = queries.select(col("id").as("qid"), col("features").as("q"))
        .crossJoin(items.select(col("id").as("iid"), col("features").as("v")))
        .withColumn("distance", l2.apply(col("q"), col("v")));
    Dataset<Row> top = pairs.withColumn("rank", row_number().over(Window.partitionBy("qid").orderBy("distance")))
        .where(col("rank").leq(k))
        .groupBy("qid").agg(collect_list(struct(col("rank"), col("iid"))).as("top"));
    long[][] out = new long[count][];
    for (Row r : top.collectAsList()) {
      List<Row> list = new ArrayList<>(r.getList(1));
      list.sort((x, y) -> Integer.compare(x.getInt(0), y.getInt(0)));
      out[(int) r.getLong(0)] = list.stream().mapToLong(x -> x.getLong(1)).toArray();
    }
    return out;
  }

  private static double recall(RoutingStudy study, long[][] got, int k) {
    long hits = 0;
    long total = 0;
    for (int q = 0; q < got.length; q++) {
      Set<Long> truth = new HashSet<>();
      for (long id : study.truth(q)) {
        truth.add(id);
      }
      if (got[q] != null) {
        for (long id : got[q]) {
          hits += truth.remove(id) ? 1 : 0;
        }
      }
      total += k;
    }
    return (double) hits / total;
  }

  private static double secs(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static int[] ints(String csv) {
    return Arrays.stream(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
  }

  private static Map<String, String> params(Map<String, String> o, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : o.entrySet()) {
      if (e.getKey().startsWith(prefix + ".")) {
        out.put(e.getKey().substring(prefix.length() + 1), e.getValue());
      }
    }
    return out;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    o.put("size", "100000");
    o.put("dim", "128");
    o.put("clusters", "64");
    o.put("spread", "1.5");
    o.put("seed", "1");
    o.put("queries", "10000");
    o.put("partitions", "8,16,32");
    o.put("probes", "1,2,4,8");
    o.put("algorithm", "hnsw");
    o.put("replication", String.valueOf(VersKnn.DEFAULT_REPLICATION_FRACTION));
    o.put("build-threads", "1");
    o.put("cross-join-queries", "100");
    o.put("master", "local[2]");
    o.put("input-partitions", "2");
    o.put("shuffle-partitions", "4");
    o.put("index-dir", "");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println("options (defaults): " + o.keySet().stream().map(key -> "--" + key + " " + o.get(key))
            .reduce((x, y) -> x + " " + y).orElse("") + " --param NAME=VALUE (build, repeatable) --search-param "
            + "NAME=VALUE (repeatable)");
        System.exit(0);
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got '" + a + "'; try --help");
      }
      String key = a.substring(2);
      String value = args[++i];
      if (key.equals("param") || key.equals("search-param")) {
        int eq = value.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("--" + key + " takes NAME=VALUE, got '" + value + "'");
        }
        o.put(key + "." + value.substring(0, eq), value.substring(eq + 1));
      } else if (o.containsKey(key)) {
        o.put(key, value);
      } else {
        throw new IllegalArgumentException("unknown option --" + key + "; try --help");
      }
    }
    return o;
  }
}
