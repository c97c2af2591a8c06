package io.vers.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Metric;
import io.vers.api.testkit.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Shared pieces of the Spark tests: a local session, data frames of vectors, reading answers, recall. */
final class SparkTests {
  private SparkTests() {}

  /**
   * A {@code local[2]} session without UI and with few shuffle partitions, using Spark's Kryo serializer
   * (Kryo 4) for its shuffles while vers saves and loads with its own, relocated Kryo 5.
   */
  static SparkSession session(String name) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true);

  /** A data frame (id: bigint, features: array<float>) of {@code vectors[i]} under {@code ids[i]}. */
  static Dataset<Row> frame(SparkSession spark, long[] ids, float[][] vectors) {
    List<Row> rows = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      rows.add(RowFactory.create(ids[i], boxed(vectors[i])));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Ids 0..n-1. */
  static long[] sequence(int n) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    return ids;
  }

  static Float[] boxed(float[] v) {
    if (v == null) {
      return null;
    }
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  /** The neighbours of every answered row, by the row's {@code id}. */
  static Map<Long, Answer> answers(Dataset<Row> answered) {
    Map<Long, Answer> out = new HashMap<>();
    for (Row row : answered.select("id", "neighbors").collectAsList()) {
      List<Row> list = row.getList(1);
      long[] ids = new long[list.size()];
      float[] distances = new float[list.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = list.get(i).getLong(0);
        distances[i] = list.get(i).getFloat(1);
      }
      long id = ((Number) row.get(0)).longValue();
      Answer previous = out.put(id, new Answer(ids, distances));
      assertEquals(null, previous, "query " + id + " answered twice");
    }
    return out;
  }

  /** One row's neighbours. */
  static final class Answer {
    final long[] ids;
    final float[] distances;

    Answer(long[] ids, float[] distances) {
      this.ids = ids;
      this.distances = distances;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Answer && Arrays.equals(ids, ((Answer) o).ids)
          && Arrays.equals(distances, ((Answer) o).distances);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
      return Arrays.toString(ids) + " at " + Arrays.toString(distances);
    }
  }

  /** The exact distances of the {@code k} nearest of {@code query} among {@code base}, in double precision. */
  static double[] exactDistances(float[][] base, float[] query, int k, long skipId) {
    double[] all = new double[base.length];
    int n = 0;
    for (int i = 0; i < base.length; i++) {
      if (i != skipId) {
        all[n++] = TestData.distance(Metric.L2, base[i], query);
      }
    }
    double[] sorted = Arrays.copyOf(all, n);
    Arrays.sort(sorted);
    return Arrays.copyOf(sorted, Math.min(k, n));
  }

  /**
   * Recall@k by distance, as the dataset README says for sets with ties: a result counts when it is a
   * distinct item whose true distance is at most the k-th true distance.
   */
  static double recall(float[][] base, float[] query, Answer got, int k) {
    double kth = exactDistances(base, query, k, -1)[k - 1];
    int hits = 0;
    for (long id : got.ids) {
      if (TestData.distance(Metric.L2, base[(int) id], query) <= kth) {
        hits++;
      }
    }
    assertTrue(Arrays.stream(got.ids).distinct().count() == got.ids.length, "duplicate ids in " + got);
    return (double) hits / k;
  }
}
