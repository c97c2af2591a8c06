package io.vers.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.bench.data.Dataset;
import io.vers.bench.data.SyntheticDataset;
import io.vers.bench.data.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vers search}: one batch call on --threads threads, knobs by name checked before any work. */
class SearchCommandTest {
  private static final int K = 10;

  @TempDir Path dir;

  private Dataset data;
  private Path base;
  private Path queries;

  @BeforeEach
  void writeData() throws Exception {
    data = SyntheticDataset.generate(2000, 16, 40, 7);
    base = TestFiles.fvecs(dir.resolve("base.fvecs"), data.base());
    queries = TestFiles.fvecs(dir.resolve("queries.fvecs"), data.queries());
  }

  private Path build(String algorithm, String... params) {
    Path index = dir.resolve(algorithm + ".vers");
    List<String> args = new ArrayList<>(List.of("build", "--algorithm", algorithm, "--input", base.toString(),
        "--output", index.toString(), "--no-progress"));
    for (String p : params) {
      args.add("--param");
      args.add(p);
    }
    Cli built = Cli.run(args.toArray(new String[0]));
    assertEquals(0, built.exit(), built.err());
    return index;
  }

  private static Cli search(Path index, Path queries, String... more) {
    List<String> args = new ArrayList<>(List.of("search", "--index", index.toString(), "--query", queries.toString(),
        "--k", String.valueOf(K), "--no-progress"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(new String[0]));
  }

  /** The ids of each query's results, in rank order, from the tab-separated output. */
  private static List<List<Long>> ids(Cli r, int queries) {
    List<String> lines = r.out().lines().toList();
    assertEquals("query\trank\tid\tdistance", lines.get(0));
    List<List<Long>> out = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      out.add(new ArrayList<>());
    }
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      int q = Integer.parseInt(f[0]);
      assertEquals(out.get(q).size() + 1, Integer.parseInt(f[1]), "ranks count from 1 in order: " + line);
      out.get(q).add(Long.parseLong(f[2]));
    }
    return out;
  }

  /** The exact k nearest base ordinals by squared L2, by a plain scan. */
  private List<Set<Long>> exact() {
    List<Set<Long>> out = new ArrayList<>();
    for (float[] query : data.queries()) {
      double[] d = new double[data.base().length];
      for (int i = 0; i < d.length; i++) {
        double s = 0;
        for (int j = 0; j < query.length; j++) {
          double x = query[j] - data.base()[i][j];
          s += x * x;
        }
        d[i] = s;
      }
      Set<Long> nearest = new HashSet<>();
      IntStream.range(0, d.length).boxed().sorted(Comparator.comparingDouble(i -> d[i])).limit(K)
          .forEach(i -> nearest.add((long) i));
      out.add(nearest);
    }
    return out;
  }

  private double recall(List<List<Long>> found) {
    List<Set<Long>> exact = exact();
    int hits = 0;
    for (int q = 0; q < found.size(); q++) {
      for (long id : found.get(q)) {
        hits += exact.get(q).contains(id) ? 1 : 0;
      }
    }
    return hits / (double) (K * found.size());
  }

  @Test
  void flatAnswersEveryQueryExactlyOnAnyNumberOfThreads() {
    Path index = build("flat");
    Cli one = search(index, queries, "--threads", "1");
    assertEquals(0, one.exit(), one.err());
    List<List<Long>> found = ids(one, data.queries().length);
    List<Set<Long>> exact = exact();
    for (int q = 0; q < found.size(); q++) {
      assertEquals(K, found.get(q).size());
      assertEquals(exact.get(q), new HashSet<>(found.get(q)), "query " + q);
    }
    Cli two = search(index, queries, "--threads", "2");
    assertEquals(0, two.exit(), two.err());
    assertEquals(one.out(), two.out(), "the thread count does not change the answers");
    Cli byDefault = search(index, queries);
    assertEquals(one.out(), byDefault.out());
  }

  @Test
  void targetRecallIsAcceptedByTheExactIndex() {
    Path index = build("flat");
    Cli r = search(index, queries, "--param", "target_recall=0.95", "--threads", "2");
    assertEquals(0, r.exit(), r.err());
    assertEquals(1.0, recall(ids(r, data.queries().length)), 1e-12);
  }

  @Test
  void aKnobTheAlgorithmDoesNotReadFailsBeforeAnyWork() {
    Path index = build("flat");
    Path absent = dir.resolve("absent.fvecs");
    Cli r = search(index, absent, "--param", "ef=64");
    assertEquals(1, r.exit());
    String line = r.errorLine();
    assertTrue(line.startsWith("vers search: flat does not read the search knob 'ef'; it reads: oversample"), line);
    assertFalse(line.contains("absent.fvecs"), "the query file was never opened: " + line);
    assertEquals("", r.out(), "nothing was printed");
  }

  @Test
  void badKnobValuesAndThreadCountsAreOneLine() {
    Path index = build("flat");
    assertTrue(search(index, queries, "--param", "ef=many").errorLine()
        .contains("--param ef=many: the value must be a number"));
    assertTrue(search(index, queries, "--param", "target_recall=1.5").errorLine().contains("(0, 1]"));
    assertTrue(search(index, queries, "--param", "ef").errorLine().contains("is not NAME=VALUE"));
    Cli threads = search(index, queries, "--threads", "0");
    assertEquals(1, threads.exit());
    assertEquals("vers search: --threads must be at least 1, got 0", threads.errorLine());
  }

  @Test
  void hnswReadsEfByNameAndRefusesOtherKnobsNamingEf() {
    Path index = build("hnsw", "M=12");
    Cli wrong = search(index, dir.resolve("absent.fvecs"), "--param", "nprobe=4");
    assertEquals(1, wrong.exit());
    String line = wrong.errorLine();
    assertTrue(line.startsWith("vers search: hnsw does not read the search knob 'nprobe'; it reads: ef "), line);

    Cli both = search(index, queries, "--param", "ef=64", "--param", "target_recall=0.9");
    assertEquals(1, both.exit());
    assertTrue(both.errorLine().contains("not both"), both.err());

    Cli low = search(index, queries, "--param", "ef_search=10", "--threads", "1");
    Cli high = search(index, queries, "--param", "ef=400", "--threads", "2");
    assertEquals(0, low.exit(), low.err());
    assertEquals(0, high.exit(), high.err());
    double lowRecall = recall(ids(low, data.queries().length));
    double highRecall = recall(ids(high, data.queries().length));
    assertTrue(highRecall >= 0.97, "ef=400 over 2,000 vectors: " + highRecall);
    assertTrue(highRecall >= lowRecall, lowRecall + " then " + highRecall);
  }

  @Test
  void targetRecallLetsEachApproximateIndexPickItsKnob() {
    for (String algorithm : List.of("hnsw", "ivfflat")) {
      Path index = build(algorithm);
      Cli r = search(index, queries, "--param", "target_recall=0.95", "--threads", "2");
      assertEquals(0, r.exit(), algorithm + ": " + r.err());
      double recall = recall(ids(r, data.queries().length));
      // Calibrated on the index's own vectors, measured here on other queries: allow some slack.
      assertTrue(recall >= 0.85, algorithm + " at target_recall=0.95 reached only " + recall);
    }
  }

  @Test
  void ivfReadsNprobeByName() {
    Path index = build("ivfflat", "nlist=32");
    Cli wrong = search(index, queries, "--param", "ef=10");
    assertEquals(1, wrong.exit());
    assertTrue(wrong.errorLine().contains("it reads: nprobe "), wrong.err());
    Cli all = search(index, queries, "--param", "nprobe=32");
    assertEquals(0, all.exit(), all.err());
    List<List<Long>> found = ids(all, data.queries().length);
    found.forEach(row -> assertEquals(K, row.size()));
    assertEquals(1.0, recall(found), 1e-12, "every list probed is exact");
  }
}
