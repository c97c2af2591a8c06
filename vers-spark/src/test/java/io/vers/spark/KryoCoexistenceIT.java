package io.vers.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.SearchResult;
import io.vers.api.testkit.TestData;
import io.vers.io.IndexIO;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import scala.reflect.ClassTag$;

/**
 * Spark's Kryo 4 and vers-io's Kryo 5 in one JVM: this test runs, like every *IT, against the shaded
 * vers-spark jar with neither the unshaded vers modules nor Kryo 5 on the class path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KryoCoexistenceIT {
  @TempDir
  Path dir;

  private SparkSession spark;

  @BeforeAll
  void start() {
    spark = SparkTests.session("KryoCoexistenceIT");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  @Test
  void theClassPathIsAUsers() throws Exception {
    String sparkKryo = codeSource("com.esotericsoftware.kryo.Kryo");
    assertTrue(sparkKryo.contains("kryo-shaded-4.0.2"), "com.esotericsoftware.kryo.Kryo comes from " + sparkKryo);
    String jar = codeSource("io.vers.spark.VersKnn");
    assertTrue(jar.matches(".*vers-spark-[^/]*\\.jar"), "vers-spark is tested as its packaged jar, not " + jar);
    assertEquals(jar, codeSource("io.vers.io.IndexIO"), "vers-io travels inside the vers-spark jar");
    assertEquals(jar, codeSource("io.vers.hnsw.HnswIndex"), "the algorithms travel inside the vers-spark jar");
    assertEquals(jar, codeSource("io.vers.spark.shaded.esotericsoftware.kryo.Kryo"), "Kryo 5, relocated");
    assertEquals(jar, codeSource("io.vers.spark.shaded.guava.collect.ImmutableSortedMap"), "guava, relocated");
    // Kryo 5 only exists relocated: its own classes (absent from Kryo 4) are not under the usual name.
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("com.esotericsoftware.kryo.serializers.RecordSerializer"));
    Class.forName("io.vers.spark.shaded.esotericsoftware.kryo.serializers.RecordSerializer");
  }

  @Test
  void sparkKryoAndVersKryoWorkSideBySide() throws Exception {
    Random random = new Random(3);
    float[][] vectors = TestData.gaussian(random, 2_000, 16);
    long[] ids = SparkTests.sequence(vectors.length);
    Index index = Indexes.build("hnsw", 16, Metric.L2, Map.of(), ids, vectors);
    float[] query = vectors[7];
    List<SearchResult> expected = index.search(query, 5);
    SerializerInstance kryo4 = new KryoSerializer(spark.sparkContext().getConf()).newInstance();
    Row row = RowFactory.create(7L, "seven", 1.5f, RowFactory.create(3, "three"));

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> spark4 = pool.submit(() -> {
        for (int i = 0; i < 200; i++) {
          ByteBuffer bytes = kryo4.serialize(row, ClassTag$.MODULE$.apply(Row.class));
          Row back = kryo4.deserialize(bytes, ClassTag$.MODULE$.apply(Row.class));
          assertEquals(row, back);
        }
        return null;
      });
      Future<?> vers5 = pool.submit(() -> {
        for (int i = 0; i < 20; i++) {
          Path file = dir.resolve("index-" + i + ".vers");
          IndexIO.save(index, file);
          Index loaded = IndexIO.load(file);
          assertEquals(expected, loaded.search(query, 5));
          Files.delete(file);
        }
        return null;
      });
      spark4.get();
      vers5.get();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aModelBuiltAndQueriedThroughKryoShuffles() {
    // The session shuffles with Spark's KryoSerializer; the partitions are saved and loaded with vers's Kryo.
    assertEquals(KryoSerializer.class.getName(), spark.conf().get("spark.serializer"));
    Random random = new Random(5);
    float[][] vectors = TestData.clustered(random, 600, 8, 6, 0.5);
    VersKnnModel model = new VersKnn().setAlgorithm("flat").setNumPartitions(3)
        .setIndexDir(dir.toUri().toString()).fit(SparkTests.frame(spark, SparkTests.sequence(600), vectors));
    Map<Long, SparkTests.Answer> answers = SparkTests.answers(model.setK(3).setProbePartitions(3)
        .transform(SparkTests.frame(spark, new long[] {0, 1, 2}, new float[][] {vectors[0], vectors[1], vectors[2]})));
    for (long q = 0; q < 3; q++) {
      assertEquals(q, answers.get(q).ids[0], "a stored vector's nearest is itself");
      assertEquals(0f, answers.get(q).distances[0]);
    }
    assertArrayEquals(new long[] {0, 1, 2}, answers.keySet().stream().mapToLong(Long::longValue).sorted().toArray());
  }

  private static String codeSource(String className) throws ClassNotFoundException {
    return Class.forName(className).getProtectionDomain().getCodeSource().getLocation().getPath();
  }
}
