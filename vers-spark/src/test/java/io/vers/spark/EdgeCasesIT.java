package io.vers.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.testkit.TestData;
import io.vers.spark.SparkTests.Answer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Empty partitions, a skewed set, the self-join, the three feature types, and bad input. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeCasesIT {
  @TempDir
  Path dir;

  private SparkSession spark;

  @BeforeAll
  void start() {
    spark = SparkTests.session("EdgeCasesIT");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private VersKnn knn() {
    return new VersKnn().setAlgorithm("flat").setIndexDir(dir.toUri().toString());
  }

  // ---------------------------------------------------------------- empty partitions

  @Test
  void hashPartitionsLeftEmptyStillAnswerEveryRow() {
    float[][] vectors = {{0, 0}, {1, 0}, {0, 1}};
    VersKnnModel model = knn().setPartitioning("hash").setNumPartitions(8)
        .fit(SparkTests.frame(spark, new long[] {10, 20, 30}, vectors));
    assertEquals(8, model.numPartitions());
    assertTrue(Arrays.stream(model.partitionSizes()).filter(s -> s == 0).count() >= 5, model.summary());
    float[][] queries = TestData.gaussian(new Random(1), 25, 2);
    Map<Long, Answer> answers = SparkTests.answers(model.setK(5).transform(
        SparkTests.frame(spark, SparkTests.sequence(25), queries)));
    assertEquals(25, answers.size());
    for (Answer a : answers.values()) {
      assertEquals(3, a.ids.length, "all three items, whatever k: " + a);
    }
  }

  @Test
  void ivfCellsLeftEmptyAreSkippedAndEveryRowIsAnswered() {
    // Cells around 0, 10 and 20 on both axes; the items lie near 0 and 10 only.
    float[][] centroids = {{0, 0}, {10, 10}, {20, 20}};
    Random random = new Random(2);
    float[][] vectors = new float[40][];
    for (int i = 0; i < 40; i++) {
      float base = i < 20 ? 0 : 10;
      vectors[i] = new float[] {base + (float) random.nextGaussian(), base + (float) random.nextGaussian()};
    }
    VersKnnModel model = knn().setReplicationFraction(0).presetCentroids(centroids)
        .fit(SparkTests.frame(spark, SparkTests.sequence(40), vectors));
    assertArrayEquals(new long[] {20, 20, 0}, model.partitionSizes(), model.summary());
    // A query next to the empty cell visits the nearest cell that holds items instead.
    float[][] queries = {{20, 20}, {0.5f, 0.5f}, {9, 9}};
    Map<Long, Answer> answers = SparkTests.answers(model.setK(3).setProbePartitions(1)
        .transform(SparkTests.frame(spark, new long[] {0, 1, 2}, queries)));
    assertEquals(3, answers.size());
    assertTrue(Arrays.stream(answers.get(0L).ids).allMatch(id -> id >= 20), "from the cell at 10: " + answers.get(0L));
    assertTrue(Arrays.stream(answers.get(1L).ids).allMatch(id -> id < 20), answers.get(1L).toString());
    assertTrue(Arrays.stream(answers.get(2L).ids).allMatch(id -> id >= 20), answers.get(2L).toString());
  }

  @Test
  void aQueryWithNothingToFindGetsAnEmptyArray() {
    // The self-join of a single item: its only neighbour is itself, which it leaves out.
    VersKnnModel model = knn().setPartitioning("hash").setNumPartitions(2)
        .fit(SparkTests.frame(spark, new long[] {5}, new float[][] {{1, 2, 3}}));
    List<Row> rows = model.setExcludeSelf(true).transform(SparkTests.frame(spark, new long[] {5},
        new float[][] {{1, 2, 3}})).collectAsList();
    assertEquals(1, rows.size());
    assertEquals(0, rows.get(0).getList(rows.get(0).fieldIndex("neighbors")).size());
  }

  // ---------------------------------------------------------------- skew

  @Test
  void aSkewedSetIsSplitIntoPartitionsOfBoundedSize() {
    // 90% of the items in one tight cluster, the rest spread over nine others.
    Random random = new Random(4);
    int n = 6_000;
    int dim = 16;
    float[][] centres = TestData.gaussian(random, 10, dim);
    for (float[] c : centres) {
      for (int j = 0; j < dim; j++) {
        c[j] *= 10;
      }
    }
    float[][] vectors = new float[n][dim];
    for (int i = 0; i < n; i++) {
      float[] c = centres[i < n * 9 / 10 ? 0 : 1 + random.nextInt(9)];
      for (int j = 0; j < dim; j++) {
        vectors[i][j] = c[j] + (float) random.nextGaussian();
      }
    }
    VersKnnModel model = knn().setNumPartitions(8).fit(SparkTests.frame(spark, SparkTests.sequence(n), vectors));
    System.out.println("skewed set: " + model.summary());
    long[] sizes = model.partitionSizes();
    double mean = (double) Arrays.stream(sizes).sum() / sizes.length;
    long max = Arrays.stream(sizes).max().orElseThrow();
    assertTrue(max <= 2.5 * mean, "largest partition " + max + " against a mean of " + mean + ": " + model.summary());

    float[][] queries = new float[100][];
    for (int q = 0; q < queries.length; q++) {
      queries[q] = vectors[random.nextInt(n)].clone();
      queries[q][0] += 0.1f;
    }
    int probe = model.effectiveProbePartitions(); // a quarter, rounded up
    double atProbe = 0;
    for (int m = probe - 1; m <= probe + 1; m++) {
      Map<Long, Answer> answers = SparkTests.answers(model.setK(10).setProbePartitions(m)
          .transform(SparkTests.frame(spark, SparkTests.sequence(queries.length), queries)));
      assertEquals(queries.length, answers.size());
      double recall = 0;
      for (int q = 0; q < queries.length; q++) {
        recall += SparkTests.recall(vectors, queries[q], answers.get((long) q), 10) / queries.length;
      }
      System.out.printf("skewed set: recall@10 %.4f visiting %d of %d partitions%n", recall, m,
          model.numPartitions());
      atProbe = m == probe ? recall : atProbe;
    }
    assertTrue(atProbe >= 0.93, "recall@10 on the skewed set visiting " + probe + " partitions: " + atProbe);
  }

  // ---------------------------------------------------------------- the self-join

  @Test
  void theSelfJoinGivesEveryItemsNearestOthers() {
    Random random = new Random(6);
    int n = 400;
    float[][] vectors = TestData.clustered(random, n, 8, 5, 0.4);
    Dataset<Row> items = SparkTests.frame(spark, SparkTests.sequence(n), vectors);
    for (String partitioning : new String[] {"hash", "ivf"}) {
      VersKnnModel model = knn().setPartitioning(partitioning).setNumPartitions(4).fit(items);
      Map<Long, Answer> answers = SparkTests.answers(model.setK(5).setProbePartitions(4).setExcludeSelf(true)
          .transform(items));
      assertEquals(n, answers.size());
      for (int i = 0; i < n; i++) {
        Answer a = answers.get((long) i);
        int self = i;
        assertTrue(Arrays.stream(a.ids).noneMatch(id -> id == self), "item " + i + " finds itself: " + a);
        double[] exact = SparkTests.exactDistances(vectors, vectors[i], 5, i);
        for (int j = 0; j < 5; j++) {
          assertTrue(TestData.close(exact[j], a.distances[j]), partitioning + " item " + i + ": " + a + " against "
              + Arrays.toString(exact));
        }
      }
    }
  }

  // ---------------------------------------------------------------- feature types

  @Test
  void doublesAndMlVectorsGiveTheSameAnswersAsFloats() {
    Random random = new Random(8);
    int n = 300;
    float[][] vectors = TestData.clustered(random, n, 6, 4, 0.5);
    List<Row> doubles = new ArrayList<>();
    List<Row> mlVectors = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] d = new double[6];
      for (int j = 0; j < 6; j++) {
        d[j] = vectors[i][j];
      }
      doubles.add(RowFactory.create((long) i, Arrays.stream(d).boxed().toArray(Double[]::new)));
      mlVectors.add(RowFactory.create(i, Vectors.dense(d)));
    }
    Dataset<Row> asFloats = SparkTests.frame(spark, SparkTests.sequence(n), vectors);
    Dataset<Row> asDoubles = spark.createDataFrame(doubles, new StructType().add("id", DataTypes.LongType)
        .add("features", DataTypes.createArrayType(DataTypes.DoubleType)));
    Dataset<Row> asVectors = spark.createDataFrame(mlVectors, new StructType().add("id", DataTypes.IntegerType)
        .add("features", new VectorUDT()));
    Map<Long, Answer> expected = SparkTests.answers(knn().setNumPartitions(3).fit(asFloats).setK(4)
        .setProbePartitions(3).transform(asFloats));
    assertEquals(expected, SparkTests.answers(knn().setNumPartitions(3).fit(asDoubles).setK(4)
        .setProbePartitions(3).transform(asDoubles)));
    assertEquals(expected, SparkTests.answers(knn().setNumPartitions(3).fit(asVectors).setK(4)
        .setProbePartitions(3).transform(asVectors)));
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void aMissingColumnIsNamed() {
    Dataset<Row> items = SparkTests.frame(spark, new long[] {1, 2}, new float[][] {{1, 2}, {3, 4}});
    assertMessage(() -> knn().setFeaturesCol("embedding").fit(items), "featuresCol 'embedding'");
    assertMessage(() -> knn().setIdCol("key").fit(items), "idCol 'key'");
    VersKnnModel model = knn().setPartitioning("hash").setNumPartitions(1).fit(items);
    assertMessage(() -> model.transform(items.withColumnRenamed("features", "f")), "featuresCol 'features'");
    assertMessage(() -> model.setExcludeSelf(true).setQueryIdCol("qid").transform(items), "queryIdCol 'qid'");
    assertMessage(() -> knn().fit(items.withColumn("features", items.col("id").cast("string"))),
        "featuresCol 'features' has type string");
  }

  @Test
  void aVectorOfTheWrongDimensionNamesItsId() {
    Dataset<Row> items = SparkTests.frame(spark, new long[] {1, 2, 17, 4}, new float[][] {{1, 2}, {3, 4}, {5, 6, 7},
        {8, 9}});
    for (String partitioning : new String[] {"ivf", "hash"}) {
      assertMessage(() -> knn().setPartitioning(partitioning).setNumPartitions(2).fit(items),
          "featuresCol 'features' of the item with id 17 has 3 components");
    }
    VersKnnModel model = knn().setPartitioning("hash").setNumPartitions(1)
        .fit(SparkTests.frame(spark, new long[] {1, 2}, new float[][] {{1, 2}, {3, 4}}));
    Dataset<Row> queries = SparkTests.frame(spark, new long[] {40, 41}, new float[][] {{1, 2}, {1, 2, 3}});
    assertMessage(() -> model.transform(queries).collectAsList(), "featuresCol 'features' of the query with id 41 "
        + "has 3 components");
  }

  @Test
  void aNullVectorNamesItsId() {
    Dataset<Row> items = SparkTests.frame(spark, new long[] {1, 23, 3}, new float[][] {{1, 2}, null, {3, 4}});
    for (String partitioning : new String[] {"ivf", "hash"}) {
      assertMessage(() -> knn().setPartitioning(partitioning).setNumPartitions(2).fit(items),
          "featuresCol 'features' of the item with id 23 is null");
    }
    List<Row> rows = List.of(RowFactory.create(1L, new Float[] {1f, null}));
    assertMessage(() -> knn().fit(spark.createDataFrame(rows, new StructType().add("id", DataTypes.LongType)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType, true)))), "of the item with id 1 has a null "
        + "component");
    assertMessage(() -> knn().fit(SparkTests.frame(spark, new long[] {1, 2}, new float[][] {{1, 2}, {Float.NaN, 0}})),
        "of the item with id 2 has NaN");
  }

  @Test
  void aDuplicateIdIsNamed() {
    Dataset<Row> items = SparkTests.frame(spark, new long[] {1, 99, 3, 99}, new float[][] {{1, 2}, {3, 4}, {5, 6},
        {70, 80}});
    assertMessage(() -> knn().setNumPartitions(2).fit(items), "idCol 'id' holds the id 99");
    assertMessage(() -> knn().setPartitioning("hash").setNumPartitions(2).fit(items), "idCol 'id' holds the id 99");
  }

  @Test
  void aNullIdAndAnUnknownParameterAreRefused() {
    List<Row> rows = List.of(RowFactory.create(1L, new Float[] {1f, 2f}),
        RowFactory.create(null, new Float[] {3f, 4f}));
    Dataset<Row> items = spark.createDataFrame(rows, new StructType().add("id", DataTypes.LongType)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType)));
    assertMessage(() -> knn().setPartitioning("hash").fit(items), "idCol 'id' is null");
    Dataset<Row> good = SparkTests.frame(spark, new long[] {1, 2}, new float[][] {{1, 2}, {3, 4}});
    assertMessage(() -> new VersKnn().setAlgorithm("hnsw").setParam("mm", 16).setIndexDir(dir.toUri().toString())
        .fit(good), "mm");
    VersKnnModel model = knn().setPartitioning("hash").setNumPartitions(1).fit(good);
    assertMessage(() -> model.setSearchParam("ef", 10).transform(good), "ef");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
    Throwable e = assertThrows(Throwable.class, call);
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    assertTrue(e.getMessage() != null && e.getMessage().contains(expected),
        "expected a message with \"" + expected + "\", got " + e + "; causes: " + all);
  }
}
