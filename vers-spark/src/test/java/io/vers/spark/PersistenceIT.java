package io.vers.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.testkit.Sift5k;
import io.vers.io.IndexFileHeader;
import io.vers.io.IndexIO;
import io.vers.spark.SparkTests.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Save a model, load it in a new session, get identical answers; the saved layout (vers-io files one per
 * partition, centroids, versioned metadata). One session for the class, and the new one the test needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersistenceIT {
  @TempDir
  Path dir;

  private SparkSession spark;

  @BeforeAll
  void start() {
    spark = SparkTests.session("PersistenceIT");
  }

  @AfterAll
  void stop() {
    SparkSession.active().stop();
  }

  @Test
  void aSavedModelGivesIdenticalAnswersInANewSession() throws Exception {
    Sift5k sift = Sift5k.load();
    float[][] base = Arrays.copyOf(sift.base, 2_000);
    Dataset<Row> items = SparkTests.frame(spark, SparkTests.sequence(base.length), base);
    Dataset<Row> queries = SparkTests.frame(spark, SparkTests.sequence(100), Arrays.copyOf(sift.queries, 100));
    VersKnnModel model = new VersKnn().setAlgorithm("hnsw").setParam("m", 12).setNumPartitions(4)
        .setIndexDir(dir.resolve("work").toUri().toString()).fit(items);
    model.setK(7).setProbePartitions(2).setSearchParam("ef", 40);
    Map<Long, Answer> before = SparkTests.answers(model.transform(queries));
    String path = dir.resolve("model").toUri().toString();
    model.write().overwrite().save(path);

    Path saved = dir.resolve("model");
    assertTrue(Files.isRegularFile(saved.resolve("metadata.json")));
    assertTrue(Files.isRegularFile(saved.resolve("centroids.fvecs")));
    assertEquals(4 * (4 + 4 * 128), Files.size(saved.resolve("centroids.fvecs")));
    long[] sizes = model.partitionSizes();
    for (int p = 0; p < 4; p++) {
      IndexFileHeader header = IndexIO.verify(saved.resolve("partitions").resolve(IndexStore.fileName(p)));
      assertEquals("hnsw", header.algorithm());
      assertEquals(sizes[p], header.size());
    }
    assertThrows(Exception.class, () -> model.write().save(path), "saving over a model needs overwrite()");

    spark.stop();
    spark = SparkTests.session("PersistenceIT-2");
    VersKnnModel loaded = VersKnnModel.load(path);
    assertEquals(7, loaded.getK());
    assertEquals(2, loaded.getProbePartitions());
    assertEquals(Map.of("ef", "40.0"), loaded.getSearchParams());
    assertEquals(model.summary().replaceAll("built in .*", ""), loaded.summary().replaceAll("built in .*", ""));
    Dataset<Row> again = SparkTests.frame(spark, SparkTests.sequence(100), Arrays.copyOf(sift.queries, 100));
    assertEquals(before, SparkTests.answers(loaded.transform(again)));
  }

  @Test
  void aNewerFormatOrAMissingMetadataFileIsRefused() throws Exception {
    Dataset<Row> items = SparkTests.frame(SparkSession.active(), new long[] {1, 2, 3}, new float[][] {{1, 2}, {3, 4},
        {5, 6}});
    VersKnnModel model = new VersKnn().setAlgorithm("flat").setPartitioning("hash").setNumPartitions(2)
        .setIndexDir(dir.resolve("work2").toUri().toString()).fit(items);
    Path saved = dir.resolve("model2");
    model.write().save(saved.toUri().toString());
    assertNull(model.centroids());
    Path meta = saved.resolve("metadata.json");
    String json = Files.readString(meta);
    Files.writeString(meta, json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"), StandardCharsets.UTF_8);
    Files.deleteIfExists(saved.resolve(".metadata.json.crc")); // the local file system's checksum of the old text
    Exception newer = assertThrows(Exception.class, () -> VersKnnModel.load(saved.toUri().toString()));
    assertTrue(newer.getMessage().contains("format version 99"), newer.getMessage());
    Files.delete(meta);
    Exception missing = assertThrows(Exception.class, () -> VersKnnModel.load(saved.toUri().toString()));
    assertTrue(missing.getMessage().contains("metadata.json"), missing.getMessage());
    Exception self = assertThrows(Exception.class,
        () -> model.write().overwrite().save(dir.resolve("work2").toUri().toString()));
    assertTrue(self.getMessage().contains("save it to another path"), self.getMessage());
  }
}
