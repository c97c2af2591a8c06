package io.vers.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.testkit.Sift5k;
import io.vers.spark.SparkTests.Answer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall@10 on sift5k (4,800 x 128, 200 queries) with 4 partitions, against exact answers computed
 * independently in double precision; exactness of {@code hash} with {@code flat}; and {@code ivf} visiting
 * every partition agreeing with {@code hash}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiftRecallIT {
  private static final int K = 10;

  @TempDir
  Path dir;

  private SparkSession spark;
  private Sift5k sift;
  private Dataset<Row> items;
  private Dataset<Row> queries;

  @BeforeAll
  void start() throws Exception {
    sift = Sift5k.load();
    spark = SparkTests.session("SiftRecallIT");
    items = SparkTests.frame(spark, SparkTests.sequence(sift.base.length), sift.base).cache();
    queries = SparkTests.frame(spark, SparkTests.sequence(sift.queries.length), sift.queries);
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private VersKnn knn(String algorithm, String partitioning) {
    return new VersKnn().setAlgorithm(algorithm).setPartitioning(partitioning).setNumPartitions(4)
        .setIndexDir(dir.toUri().toString());
  }

  private Map<Long, Answer> answer(VersKnnModel model) {
    Dataset<Row> answered = model.setK(K).transform(queries);
    Map<Long, Answer> answers = SparkTests.answers(answered);
    assertEquals(sift.queries.length, answers.size(), "every query row comes back once");
    return answers;
  }

  private double meanRecall(Map<Long, Answer> answers) {
    double sum = 0;
    for (int q = 0; q < sift.queries.length; q++) {
      sum += SparkTests.recall(sift.base, sift.queries[q], answers.get((long) q), K);
    }
    return sum / sift.queries.length;
  }

  @Test
  void hashWithFlatGivesTheExactAnswer() {
    VersKnnModel model = knn("flat", "hash").fit(items);
    assertEquals(4, model.numPartitions());
    assertEquals(sift.base.length, Arrays.stream(model.partitionSizes()).sum());
    Map<Long, Answer> answers = answer(model);
    for (int q = 0; q < sift.queries.length; q++) {
      Answer a = answers.get((long) q);
      double[] exact = SparkTests.exactDistances(sift.base, sift.queries[q], K, -1);
      assertEquals(K, a.ids.length);
      for (int i = 0; i < K; i++) {
        assertEquals(exact[i], a.distances[i], 0.0, "query " + q + " rank " + i);
      }
      // Every ground-truth neighbour strictly closer than the k-th distance is in the answer.
      Set<Long> got = new HashSet<>();
      Arrays.stream(a.ids).forEach(got::add);
      for (int i = 0; i < K; i++) {
        int truth = sift.groundTruth[q][i];
        if (io.vers.api.testkit.TestData.distance(io.vers.api.Metric.L2, sift.base[truth], sift.queries[q])
            < exact[K - 1]) {
          assertTrue(got.contains((long) truth), "query " + q + " misses true neighbour " + truth);
        }
      }
    }
    assertEquals(1.0, meanRecall(answers), 0.0);
  }

  @Test
  void ivfVisitingEveryPartitionEqualsHash() {
    Map<Long, Answer> hash = answer(knn("flat", "hash").fit(items));
    VersKnnModel ivf = knn("flat", "ivf").fit(items);
    assertEquals(4, ivf.numPartitions());
    Map<Long, Answer> all = answer(ivf.setProbePartitions(4));
    for (long q = 0; q < sift.queries.length; q++) {
      assertSameAnswer(hash.get(q), all.get(q), q);
    }
  }

  @Test
  void ivfRecallWithHnsw() {
    VersKnnModel model = knn("hnsw", "ivf").fit(items);
    System.out.println("sift5k ivf hnsw: " + model.summary());
    double two = meanRecall(answer(model.setProbePartitions(2)));
    double one = meanRecall(answer(model.setProbePartitions(1)));
    System.out.printf("sift5k ivf hnsw recall@10: probe 1 %.4f, probe 2 %.4f%n", one, two);
    assertTrue(two >= 0.95, "recall@10 with 2 of 4 partitions: " + two);
    assertTrue(one >= 0.75, "recall@10 with 1 of 4 partitions: " + one);
    assertTrue(two > one, "visiting more partitions finds more: " + one + " then " + two);
  }

  @Test
  void hashRecallWithHnsw() {
    double recall = meanRecall(answer(knn("hnsw", "hash").fit(items)));
    System.out.printf("sift5k hash hnsw recall@10: %.4f%n", recall);
    assertTrue(recall >= 0.98, "recall@10 with hash partitioning: " + recall);
  }

  /** Equal distances; equal ids except among those tied at the last distance. */
  static void assertSameAnswer(Answer expected, Answer actual, long query) {
    assertArrayEquals(expected.distances, actual.distances, "distances of query " + query);
    float last = expected.distances[expected.distances.length - 1];
    Set<Long> a = new HashSet<>();
    Set<Long> b = new HashSet<>();
    for (int i = 0; i < expected.ids.length; i++) {
      if (expected.distances[i] < last) {
        a.add(expected.ids[i]);
        b.add(actual.ids[i]);
      }
    }
    assertEquals(a, b, "ids of query " + query + ": " + expected + " against " + actual);
  }
}
