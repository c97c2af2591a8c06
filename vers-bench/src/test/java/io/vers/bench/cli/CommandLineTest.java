package io.vers.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Indexes;
import io.vers.api.Metric;
import io.vers.api.ProgressListener;
import io.vers.api.testkit.Sift5k;
import io.vers.bench.data.FashionMnist;
import io.vers.bench.data.SyntheticDataset;
import io.vers.bench.data.TestFiles;
import io.vers.bench.harness.GroundTruth;
import io.vers.bench.harness.MiniJson;
import io.vers.bench.peers.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The commands end to end, in-process, with captured output. */
class CommandLineTest {
  @TempDir Path dir;

  /** Options that keep a benchmark run short and quiet. */
  private static final List<String> FAST = List.of("--warmup", "0", "--passes", "1", "--no-progress");

  private static String[] bench(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("bench"));
    all.addAll(List.of(args));
    all.addAll(FAST);
    return all.toArray(new String[0]);
  }

  @Test
  void withoutACommandPrintsUsage() {
    Cli r = Cli.run();
    assertEquals(0, r.exit());
    for (String command : List.of("bench", "build", "search", "info", "algorithms", "neighbours")) {
      assertTrue(r.out().contains(command), r.out());
    }
  }

  @Test
  void algorithmsListsEveryProviderAndPeerWithTheirParameters() {
    Cli r = Cli.run("algorithms");
    assertEquals(0, r.exit(), r.err());
    for (String name : Indexes.available()) {
      assertTrue(r.out().contains("\n" + name + ": "), name + " missing from\n" + r.out());
    }
    Peers.all().forEach(p -> assertTrue(r.out().contains("\n" + p.name() + ": "), p.name()));
    assertTrue(r.out().contains("efConstruction     int     default 200      range [1, 65536]"), r.out());
    assertTrue(r.out().contains("search knobs:"), r.out());
  }

  @Test
  @SuppressWarnings("unchecked")
  void benchOnATinySyntheticSetWritesTheJsonSchemaAndThePlot() throws Exception {
    Path json = dir.resolve("out.json");
    Path plot = dir.resolve("plot.png");
    Cli r = Cli.run(bench("--dataset", "synthetic:600x8", "--max-queries", "15", "--k", "5", "--algorithms",
        "flat,lucene-hnsw", "--json", json.toString(), "--plot", plot.toString()));
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("synthetic:600x8: 600 base vectors x 8, 15 queries, l2, recall@5"), r.out());
    assertTrue(r.out().contains("jdk       "), r.out());
    assertTrue(r.out().contains("vers kernel "), r.out());
    assertTrue(r.out().contains("peer      lucene-hnsw SIMD path active: "), r.out());
    assertTrue(r.out().contains("QPS at recall@5"), r.out());
    assertTrue(Files.size(plot) > 1000);

    Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(json));
    assertEquals(List.of("dataset", "results", "best"), List.copyOf(root.keySet()));
    Map<String, Object> expectedDataset = new LinkedHashMap<>();
    expectedDataset.put("name", "synthetic:600x8");
    expectedDataset.put("n", 600.0);
    expectedDataset.put("dim", 8.0);
    expectedDataset.put("queries", 15.0);
    expectedDataset.put("metric", "l2");
    assertEquals(expectedDataset, root.get("dataset"));
    List<Map<String, Object>> results = (List<Map<String, Object>>) root.get("results");
    Map<String, Object> flat = results.get(0);
    assertEquals("flat", flat.get("algorithm"));
    assertEquals(1.0, flat.get("recall"), "exact search against exact ground truth");
    List<Map<String, Object>> lucene = results.stream().filter(m -> m.get("algorithm").equals("lucene-hnsw")).toList();
    assertFalse(lucene.isEmpty());
    for (Map<String, Object> row : lucene) {
      Map<String, Object> params = (Map<String, Object>) row.get("params");
      assertEquals(16.0, params.get("M"), "HNSW defaults apply to the peers");
      assertEquals(200.0, params.get("efConstruction"));
      assertTrue(params.get("ef") instanceof Double, "each row names its ef");
      assertTrue((Double) row.get("qps") > 0 && (Double) row.get("build_seconds") >= 0
          && (Double) row.get("index_bytes") > 0);
    }
    Map<String, Map<String, Object>> best = (Map<String, Map<String, Object>>) root.get("best");
    assertEquals(List.of("flat", "lucene-hnsw"), List.copyOf(best.keySet()));
    assertEquals(List.of("0.9", "0.95", "0.99"), List.copyOf(best.get("flat").keySet()));
  }

  @Test
  @SuppressWarnings("unchecked")
  void paramFixesAPeersKnobAndGraphShape() throws Exception {
    Path json = dir.resolve("out.json");
    Cli r = Cli.run(bench("--dataset", "synthetic:300x4", "--max-queries", "5", "--algorithms", "lucene-hnsw",
        "--param", "lucene-hnsw.M=8", "--param", "lucene-hnsw.ef=50", "--json", json.toString()));
    assertEquals(0, r.exit(), r.err());
    List<Map<String, Object>> results =
        (List<Map<String, Object>>) ((Map<String, Object>) MiniJson.parse(Files.readString(json))).get("results");
    assertEquals(1, results.size(), "a fixed knob is one configuration");
    assertEquals(Map.of("M", 8.0, "efConstruction", 200.0, "ef", 50.0), results.get(0).get("params"));
  }

  @Test
  void hnswParametersAreSharedWithThePeers() {
    Map<String, Object> shared = BenchCommand.sharedGraphParameters(Map.of("num_neighbours", "24"));
    assertEquals(Map.of("M", "24", "efConstruction", 200), shared);
    Map<String, Object> build = new LinkedHashMap<>(Map.of("ef_construction", "64"));
    BenchCommand.applyDefaults(Peers.find("hnswlib-java").orElseThrow(), build, shared);
    assertEquals(Map.of("ef_construction", "64", "M", "24"), build, "the peer's own value wins");
  }

  @Test
  @SuppressWarnings("unchecked")
  void benchReadsBaseQueriesAndGroundTruthFiles() throws Exception {
    var data = SyntheticDataset.generate(200, 6, 12, 9);
    Path base = TestFiles.fvecs(dir.resolve("base.fvecs"), data.base());
    Path queries = TestFiles.fvecs(dir.resolve("query.fvecs"), data.queries());
    int[][] truth = GroundTruth.compute(data.base(), data.queries(), Metric.L2, 20, 1, ProgressListener.NONE);
    Path gt = TestFiles.ivecs(dir.resolve("gt.ivecs"), truth);
    Path json = dir.resolve("files.json");
    Cli r = Cli.run(bench("--base", base.toString(), "--queries", queries.toString(), "--groundtruth", gt.toString(),
        "--algorithms", "flat", "--json", json.toString()));
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("truth     from " + gt), r.out());
    Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(json));
    assertEquals("base", ((Map<String, Object>) root.get("dataset")).get("name"));
    assertEquals(1.0, ((List<Map<String, Object>>) root.get("results")).get(0).get("recall"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void benchUsesTheNeighboursAndMetricOfAnHdf5File() throws Exception {
    var data = SyntheticDataset.generate(150, 5, 8, 4);
    int[][] exact = GroundTruth.compute(data.base(), data.queries(), Metric.COSINE, 5, 1, ProgressListener.NONE);
    // Keep the first three true neighbours of every query and replace the rest: recall@5 of exact search
    // against this file can only be 3/5 if the file's neighbours are the ones used.
    int[][] neighbors = new int[exact.length][5];
    for (int q = 0; q < exact.length; q++) {
      System.arraycopy(exact[q], 0, neighbors[q], 0, 3);
      int filler = 0;
      for (int i = 3; i < 5; i++) {
        while (contains(exact[q], filler)) {
          filler++;
        }
        neighbors[q][i] = filler++;
      }
    }
    Path file = dir.resolve("tiny-angular.hdf5");
    try (io.jhdf.WritableHdfFile hdf = io.jhdf.HdfFile.write(file)) {
      hdf.putDataset("train", data.base());
      hdf.putDataset("test", data.queries());
      hdf.putDataset("neighbors", neighbors);
      hdf.putAttribute("distance", "angular");
    }
    Path json = dir.resolve("h.json");
    Cli r = Cli.run(bench("--dataset", file.toString(), "--k", "5", "--algorithms", "flat", "--json", json.toString()));
    assertEquals(0, r.exit(), r.err());
    Map<String, Object> root = (Map<String, Object>) MiniJson.parse(Files.readString(json));
    assertEquals("cosine", ((Map<String, Object>) root.get("dataset")).get("metric"));
    assertEquals(0.6, (Double) ((List<Map<String, Object>>) root.get("results")).get(0).get("recall"), 1e-9);
  }

  private static boolean contains(int[] row, int id) {
    for (int x : row) {
      if (x == id) {
        return true;
      }
    }
    return false;
  }

  @Test
  void unknownAlgorithmIsOneLineAndExitOne() {
    Cli r = Cli.run(bench("--dataset", "synthetic:100x4", "--algorithms", "nope"));
    assertEquals(1, r.exit());
    String line = r.errorLine();
    assertTrue(line.startsWith("vers bench: unknown index algorithm 'nope'"), line);
    assertTrue(line.contains("peers: hnswlib-java, jvector, lucene-hnsw"), line);
  }

  @Test
  void verboseAddsTheStackTrace() {
    Cli r = Cli.run(bench("--dataset", "synthetic:100x4", "--algorithms", "nope", "--verbose"));
    assertEquals(1, r.exit());
    assertTrue(r.err().startsWith("vers bench: unknown index algorithm 'nope'"), r.err());
    assertTrue(r.err().contains("\tat io.vers."), r.err());
  }

  @Test
  void usageErrorsAreOneLineAndExitTwo() {
    Cli r = Cli.run("bench", "--bogus");
    assertEquals(2, r.exit());
    String line = r.errorLine();
    assertTrue(line.contains("Unknown option: '--bogus'") && line.contains("vers bench --help"), line);
    Cli unknown = Cli.run("frobnicate");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.errorLine().contains("unknown command 'frobnicate'; the commands are bench, build"),
        unknown.err());
    Cli typo = Cli.run("bnech", "--dataset", "synthetic:50x4");
    assertEquals(2, typo.exit());
    assertTrue(typo.errorLine().contains("unknown command 'bnech'"), typo.err());
    Cli missing = Cli.run("build", "--algorithm", "flat");
    assertEquals(2, missing.exit());
    assertTrue(missing.errorLine().contains("Missing required options"), missing.err());
  }

  @Test
  void theSharedSift5kSetIsABuiltInDatasetWithItsExactNeighbours() throws Exception {
    Sift5k.load(); // skips the test under -Dvers.skipDatasets=true when the set is absent
    Cli r = Cli.run("bench", "--dataset", "sift5k", "--algorithms", "flat", "--max-queries", "20", "--no-progress",
        "--no-sweep");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("sift5k: 4,800 base vectors x 128, 20 queries, l2"), r.out());
    assertTrue(r.out().contains("1.0000"), "flat finds the file's exact neighbours: " + r.out());
  }

  @Test
  void badOptionValuesAreOneLine() {
    assertTrue(Cli.run(bench("--metric", "hamming")).errorLine().contains("unknown metric 'hamming'"));
    assertTrue(Cli.run(bench("--k", "0")).errorLine().contains("--k must be at least 1"));
    assertTrue(Cli.run(bench("--recall-targets", "1.5")).errorLine().contains("(0, 1]"));
    assertTrue(Cli.run(bench("--dataset", "mnist-9000")).errorLine().contains("unknown dataset 'mnist-9000'"));
    assertTrue(Cli.run(bench("--plot", "recall.jpg")).errorLine().contains("ending in .png"));
    assertTrue(Cli.run(bench("--dataset", "synthetic:50x4", "--algorithms", "flat", "--param", "lucene-hnsw.M=4"))
        .errorLine().contains("not selected"));
    assertTrue(Cli.run(bench("--dataset", "synthetic:50x4", "--param", "M=4")).errorLine()
        .contains("ALGORITHM.NAME=VALUE"));
    assertTrue(Cli.run(bench("--dataset", "synthetic:50x4", "--algorithms", "lucene-hnsw", "--param",
        "lucene-hnsw.M=1")).errorLine().contains("lucene-hnsw: parameter M of lucene-hnsw must be in [2, 512]"));
  }

  @Test
  void missingAndMalformedFilesAreNamed() throws Exception {
    Path absent = dir.resolve("absent.fvecs");
    String line = Cli.run(bench("--base", absent.toString(), "--queries", absent.toString())).errorLine();
    assertEquals("vers bench: no such file: " + absent, line);
    byte[] bytes = Files.readAllBytes(TestFiles.fvecs(dir.resolve("ok.fvecs"), TestFiles.grid(3, 4)));
    Path cut = TestFiles.write(dir.resolve("cut.fvecs"), java.util.Arrays.copyOf(bytes, bytes.length - 1));
    String malformed = Cli.run(bench("--base", cut.toString(), "--queries", cut.toString())).errorLine();
    assertTrue(malformed.contains(cut.toString()) && malformed.contains("byte offset 56"), malformed);
  }

  @Test
  @ResourceLock("vers.datasets.dir")
  void missingFashionMnistNamesTheAptPackage() {
    String previous = System.getProperty(FashionMnist.DATASETS_PROPERTY);
    System.setProperty(FashionMnist.DATASETS_PROPERTY, dir.toString());
    try {
      Cli r = Cli.run(bench("--dataset", "fashion-mnist"));
      assertEquals(1, r.exit());
      assertTrue(r.errorLine().contains("sudo apt-get install dataset-fashion-mnist"), r.err());
    } finally {
      if (previous == null) {
        System.clearProperty(FashionMnist.DATASETS_PROPERTY);
      } else {
        System.setProperty(FashionMnist.DATASETS_PROPERTY, previous);
      }
    }
  }

  @Test
  void neighboursPrintsTheNearestWords() throws Exception {
    Path vec = TestFiles.text(dir.resolve("words.vec"), String.join("\n",
        "6 3",
        "king 1.0 0.9 0.0",
        "queen 0.9 1.0 0.0",
        "prince 0.8 0.7 0.2",
        "apple 0.0 0.1 1.0",
        "pear 0.1 0.0 0.9",
        "car -1.0 0.2 0.1", ""));
    Cli r = Cli.run("neighbours", "--vectors", vec.toString(), "--word", "king", "--word", "apple", "--k", "2",
        "--algorithm", "flat", "--no-progress");
    assertEquals(0, r.exit(), r.err());
    String out = r.out();
    int king = out.indexOf("nearest to 'king':");
    int apple = out.indexOf("nearest to 'apple':");
    String kingPart = out.substring(king, apple);
    assertTrue(kingPart.indexOf("queen") > 0 && kingPart.indexOf("queen") < kingPart.indexOf("prince"), out);
    assertFalse(kingPart.contains("  king "), "the word itself is not its own neighbour");
    assertTrue(out.substring(apple).contains("pear"), out);
    assertFalse(out.substring(apple).contains("car"), "only k = 2 neighbours");

    Cli unknown = Cli.run("neighbours", "--vectors", vec.toString(), "--word", "emperor", "--algorithm", "flat",
        "--no-progress");
    assertEquals(1, unknown.exit());
    assertTrue(unknown.errorLine().contains("'emperor' is not among the 6 words"), unknown.err());
  }
}
